"""Output of the authoring tools: `build.py new` and `build.py check --fix`."""

from __future__ import annotations

from exhibit.i18n.entry import Entry

MESSAGES: dict[str, Entry] = {
    # --- new ---------------------------------------------------------------------
    "new_unknown_collection": {
        "zh-CN": ("“{value}”不是已知的内容栏目", "{did_you_mean}栏目有：{choices}（也可写中文名，如 劳模先进）。"),
        "en": ("'{value}' is not a known collection", "{did_you_mean}The collections are: {choices}."),
    },
    "new_no_site": {
        "zh-CN": ("{folder} 中没有可用的 content/site.yaml", "在站点目录中运行，或用 --root 指向站点目录；先用 check 修正 site.yaml。"),
        "en": ("there is no usable content/site.yaml in {folder}",
               "Run this in the site folder, or point --root at it; fix site.yaml first (see check)."),
    },
    "new_no_units": {
        "zh-CN": ("site.yaml 中还没有组织（units），无法填写 unit", "先在 site.yaml 的 units 中加入组织，或用 --unit 指定。"),
        "en": ("site.yaml has no units, so unit cannot be filled in", "Add units to site.yaml first, or give --unit."),
    },
    "new_exists": {
        "zh-CN": ("已有内容使用网址名“{slug}”：{path}，没有覆盖", "换一个标题，或直接编辑 {path}。"),
        "en": ("{path} already uses the slug '{slug}'; nothing was overwritten", "Choose another title, or edit {path}."),
    },
    "new_reserved_slug": {
        "zh-CN": ("网址名“{slug}”留给网站自己的页面使用（保留的有：{reserved}），没有创建文件",
                  "换一个标题，例如加上单位或更具体的词。"),
        "en": ("the slug '{slug}' is kept for the site's own pages (reserved: {reserved}); no file was made",
               "Choose another title, for example with the unit or a more specific word in it."),
    },
    "new_name_too_long": {
        "zh-CN": ("标题太长：由它生成的网址名有 {length} 个字符，最多 {limit} 个，没有创建文件",
                  "用一个简短的名字创建文件，之后可以在文件里把标题改成完整的长标题。"),
        "en": ("the title is too long: its slug has {length} characters, at most {limit} are allowed; no file was made",
               "Create the file with a short name; you can write the full title into the file afterwards."),
    },
    # --- check --fix -------------------------------------------------------------
    "fix_changed": {
        "zh-CN": ("已修改：{detail}", None),
        "en": ("fixed: {detail}", None),
    },
    "fix_backup": {
        "zh-CN": ("修改前的文件已备份到 {folder}", None),
        "en": ("the files as they were are kept in {folder}", None),
    },
    "fix_nothing": {
        "zh-CN": ("没有可以自动修正的问题", None),
        "en": ("nothing to fix automatically", None),
    },
    "fix_skipped": {
        "zh-CN": ("未修改：修正后的文件无法正确读取，请手动修改", None),
        "en": ("not changed: the fixed file would not read correctly; fix it by hand", None),
    },
    "fix_utf8": {"zh-CN": ("另存为 UTF-8 编码", None), "en": ("saved as UTF-8", None)},
    "fix_colon": {"zh-CN": ("中文冒号改为英文冒号", None), "en": ("full-width colon → ': '", None)},
    "fix_indent": {"zh-CN": ("Tab/全角空格缩进改为半角空格", None), "en": ("tab/full-width indentation → spaces", None)},
    "fix_fence": {"zh-CN": ("字段区分隔线改为 ---", None), "en": ("front-matter fence → ---", None)},
}
