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
    # --- import (Word documents) ---------------------------------------------------
    "import_wrote": {"zh-CN": ("已写入 {path}", None), "en": ("wrote {path}", None)},
    "import_would_write": {"zh-CN": ("将写入 {path}（--dry-run：未写入任何文件）", None),
                           "en": ("would write {path} (--dry-run: nothing was written)", None)},
    "import_converted": {
        "zh-CN": ("已用 LibreOffice（soffice）把旧格式文件转换为 .docx 后导入：{file}", None),
        "en": ("converted to .docx through LibreOffice (soffice) before importing: {file}", None),
    },
    "import_source_comment": {"zh-CN": ("由 Word 文件 {file} 导入", None), "en": ("imported from the Word file {file}", None)},
    "import_placeholder": {
        "zh-CN": ("必填：文档中没有找到 {field}，请填写后去掉行首的 #", None),
        "en": ("required: the document does not give {field}; fill it in and remove the leading #", None),
    },
    "import_exists": {
        "zh-CN": ("{path} 已存在，没有覆盖", "确实要替换时加 --force（原文件会备份到 .exhibit-backup/），或先改名。"),
        "en": ("{path} already exists; nothing was overwritten",
               "Add --force to replace it (the old file is kept in .exhibit-backup/), or rename it first."),
    },
    "import_missing_file": {
        "zh-CN": ("找不到文件或文件夹：{file}", "检查路径是否写对；路径中有空格时请加引号。"),
        "en": ("no such file or folder: {file}", "Check the path; put it in quotes when it contains spaces."),
    },
    "import_not_word": {
        "zh-CN": ("{file} 不是 Word 文档", "只能导入 .docx（以及装有 LibreOffice 时的 .doc、.wps）。"),
        "en": ("{file} is not a Word document", "Only .docx can be imported (and .doc, .wps when LibreOffice is "
                                                 "installed)."),
    },
    "import_not_docx": {
        "zh-CN": ("{file} 不是有效的 .docx 文件（可能是改了扩展名的其他文件，或文件已损坏）",
                  "用 Word 或 WPS 打开它，另存为 → Word 文档(*.docx)，再导入。"),
        "en": ("{file} is not a valid .docx file (another kind of file renamed, or a damaged one)",
               "Open it in Word or WPS, Save As → Word Document (*.docx), then import it again."),
    },
    "import_too_large": {
        "zh-CN": ("{file} 解压后超过 {megabytes} MB，没有导入", "把文中的照片压缩后另存，或把文档拆成几份。"),
        "en": ("{file} unpacks to more than {megabytes} MB; it was not imported",
               "Compress the photos in it and save again, or split the document."),
    },
    "import_legacy": {
        "zh-CN": ("{file} 是旧版 Word/WPS 格式（.doc/.wps），不能直接导入",
                  "用 Word 打开：另存为 → Word 文档(*.docx)；用 WPS 打开：另存为 → 文件类型选 .docx。"
                  "或安装 LibreOffice，导入时会自动转换。"),
        "en": ("{file} is in the old Word/WPS format (.doc/.wps) and cannot be imported as it is",
               "In Word: Save As → Word Document (*.docx); in WPS: Save As → file type .docx. "
               "Or install LibreOffice, and the import converts it."),
    },
    "import_legacy_failed": {
        "zh-CN": ("LibreOffice 没能把 {file} 转换为 .docx", "用 Word 或 WPS 打开它，另存为 .docx 后再导入。"),
        "en": ("LibreOffice could not convert {file} to .docx", "Open it in Word or WPS, save it as .docx, then "
                                                                 "import that."),
    },
    "import_no_title": {
        "zh-CN": ("{file} 中没有可作标题的文字", "在文档第一行写上标题后再导入。"),
        "en": ("{file} has no text to take a title from", "Write a title on the document's first line, then "
                                                          "import it again."),
    },
    "import_photo_skipped": {
        "zh-CN": ("{file}：文档中有一张 {kind} 格式的图片浏览器无法显示，没有导入",
                  "在 Word 中把这张图片另存为 JPEG 或 PNG，放在文件旁边，并在正文中引用。"),
        "en": ("{file}: a picture in the document is {kind}, which browsers cannot show; it was left out",
               "Save that picture from Word as JPEG or PNG beside the file and reference it in the text."),
    },
    "import_drop_refused": {
        "zh-CN": ("只能在本机的预览页面上拖入文档（最大 {megabytes} MB）", None),
        "en": ("documents can only be dropped on the preview on this computer (at most {megabytes} MB)", None),
    },
}
