"""Problems in what the content says: site settings, the unit tree, references, media, slugs."""

from __future__ import annotations

from exhibit.i18n.entry import Entry

MESSAGES: dict[str, Entry] = {
    # --- site settings -----------------------------------------------------------
    "config_missing": {
        "zh-CN": ("找不到站点配置文件 content/site.yaml",
                  "新建 content/site.yaml，至少写上 title: 站点名称 和 units: 组织机构列表。"),
        "en": ("the site settings file content/site.yaml is missing",
               "Create content/site.yaml with at least `title:` and a `units:` list."),
    },
    "config_language": {
        "zh-CN": ("不支持的语言“{value}”", "language 可写 zh-CN 或 en。"),
        "en": ("the language '{value}' is not supported", "Set language to zh-CN or en."),
    },
    "config_not_mapping": {
        "zh-CN": ("site.yaml 应由“字段: 值”组成", "参照 README 中的 site.yaml 示例。"),
        "en": ("site.yaml must consist of `field: value` lines", "See the site.yaml example in the README."),
    },
    "config_base_url": {
        "zh-CN": ("base_url“{value}”不是以 http:// 或 https:// 开头的网址", "写成 http://内网地址/路径/，或删掉这一行。"),
        "en": ("base_url '{value}' is not an http:// or https:// address", "Write http://host/path/ or remove the line."),
    },
    "config_page_size": {
        "zh-CN": ("page_size“{value}”不是 1 到 {largest} 之间的整数", "page_size 是列表每页显示的条数，例如 page_size: 24；删掉这一行则用默认的 24。"),
        "en": ("page_size '{value}' is not a whole number from 1 to {largest}",
               "page_size is how many cards a listing page shows, e.g. page_size: 24; remove the line to use 24."),
    },
    # --- units -------------------------------------------------------------------
    "unit_id_invalid": {
        "zh-CN": ("组织编号“{value}”只能包含小写字母、数字和 -", "例如 dianjie-2（可用拼音）。"),
        "en": ("the unit id '{value}' may hold only lower-case letters, digits and '-'", "For example: electrolysis-2."),
    },
    "unit_duplicate": {
        "zh-CN": ("组织编号“{value}”重复（另一处在第 {other_line} 行）", "给每个组织一个不同的 id。"),
        "en": ("the unit id '{value}' is used twice (also on line {other_line})", "Give each unit its own id."),
    },
    "unit_parent_unknown": {
        "zh-CN": ("上级组织“{value}”不存在", "{did_you_mean}parent 要写 units 中某个组织的 id。"),
        "en": ("the parent unit '{value}' does not exist", "{did_you_mean}parent must be the id of a unit in units."),
    },
    "unit_cycle": {
        "zh-CN": ("组织“{value}”的上级关系绕成了圈", "检查这些组织的 parent，最上级组织不写 parent。"),
        "en": ("the parents of unit '{value}' form a loop", "Check the parents; the top unit has no parent."),
    },
    # --- references and date ranges ----------------------------------------------
    "unit_unknown": {
        "zh-CN": ("组织“{value}”在 site.yaml 的 units 中不存在", "{did_you_mean}请填写 units 中某个组织的 id。"),
        "en": ("there is no unit '{value}' in site.yaml's units", "{did_you_mean}Use the id of a unit in site.yaml."),
    },
    "recipient_unknown": {
        "zh-CN": ("获奖对象“{value}”既不是组织 id，也不是劳模先进的文件名", "{did_you_mean}填写组织 id 或 workers/ 中的人物。"),
        "en": ("the recipient '{value}' is neither a unit id nor a worker", "{did_you_mean}Use a unit id or a worker's slug."),
    },
    "date_range_reversed": {
        "zh-CN": ("展示结束日期早于开始日期", "检查 display_from 和 display_until 是否写反。"),
        "en": ("display_until is earlier than display_from", "Check whether display_from and display_until are swapped."),
    },
    # --- media -------------------------------------------------------------------
    "path_backslash": {
        "zh-CN": ("路径“{value}”用了反斜杠 \\", "请改为 “{fixed}”：正斜杠 / 在所有电脑和服务器上都能用。"),
        "en": ("the path '{value}' uses backslashes (\\)", "Write '{fixed}': a forward slash / works on every "
                                                             "computer and server."),
    },
    "media_missing": {
        "zh-CN": ("找不到文件“{value}”", "{did_you_mean}路径相对于当前文件；以 / 开头则相对于 content/。"),
        "en": ("the file '{value}' does not exist",
               "{did_you_mean}Paths are relative to this file; a path starting with / is relative to content/."),
    },
    "media_outside": {
        "zh-CN": ("文件“{value}”在 content/ 和 assets/ 之外，不能引用", "把文件复制到 content/ 中，再引用新的位置。"),
        "en": ("'{value}' is outside content/ and assets/ and cannot be used", "Copy the file into content/ and refer to it there."),
    },
    "media_active": {
        "zh-CN": ("“{value}”是网页、脚本或程序文件（{kind}），打开时会在网站上运行，不能发布",
                  "改为附上 PDF（在原程序里“打印”→“另存为 PDF”），或把内容写进正文。"),
        "en": ("'{value}' is a web page, script or program ({kind}): opened, it would run on the site, "
               "so it is not published", "Attach a PDF instead (Print → Save as PDF), or put the text in the story."),
    },
    "svg_refused": {
        "zh-CN": ("“{value}”不是能安全发布的 SVG 图（{detail}）", "在绘图软件中重新导出为普通 SVG，或导出为 PNG。"),
        "en": ("'{value}' is not an SVG drawing that can be published safely ({detail})",
               "Export it again as a plain SVG from the drawing program, or as a PNG."),
    },
    "media_not_image": {
        "zh-CN": ("“{value}”不是可读取的图片（{detail}）", "换成 JPEG、PNG 或 WebP 格式的图片。"),
        "en": ("'{value}' is not a readable image ({detail})", "Use a JPEG, PNG or WebP image."),
    },
    "image_truncated": {
        "zh-CN": ("图片“{value}”不完整，文件被截断了（{detail}）",
                  "多半是复制或下载没有完成：从相机、手机或原始位置重新导出或复制这张照片。"),
        "en": ("the image '{value}' is incomplete: the file is truncated ({detail})",
               "The copy or download was probably cut short: export or copy the photo again."),
    },
    "image_too_large": {
        "zh-CN": ("图片“{value}”像素过多（{detail} 像素，超过安全上限 {limit} 像素），可能是“解压炸弹”，已拒绝处理",
                  "用图片编辑软件把它缩小到 8000×6000 像素以内，再放进 content/。"),
        "en": ("the image '{value}' has too many pixels ({detail}, over the safe limit of {limit}) and could be "
               "a decompression bomb; it was not processed",
               "Scale it below 8000×6000 pixels with an image editor before putting it in content/."),
    },
    "image_failed": {
        "zh-CN": ("无法处理图片“{value}”（{detail}）", "用图片编辑软件把它另存为 JPEG 或 PNG 后再试。"),
        "en": ("the image '{value}' cannot be processed ({detail})", "Save it again as JPEG or PNG with an image editor."),
    },
    # --- links and slugs ---------------------------------------------------------
    "link_outside": {
        "zh-CN": ("正文中的链接“{value}”指向 content/ 和 assets/ 之外的位置，不能使用",
                  "把文件复制到 content/ 中，再链接新的位置。"),
        "en": ("the link '{value}' in the story leads outside content/ and assets/ and cannot be used",
               "Copy the file into content/ and link to it there."),
    },
    "link_broken": {
        "zh-CN": ("正文中的链接“{value}”指向的文件不存在", "{did_you_mean}检查路径拼写；链接相对于当前文件。"),
        "en": ("the link '{value}' in the story points to a file that does not exist",
               "{did_you_mean}Check the spelling; links are relative to this file."),
    },
    "slug_duplicate": {
        "zh-CN": ("网址名“{slug}”与 {other} 重复", "重命名其中一个文件（文件名决定网址名，中文名会转成拼音）。"),
        "en": ("the slug '{slug}' is also used by {other}",
               "Rename one of the files (the file name gives the slug; Chinese names become pinyin)."),
    },
    "slug_empty": {
        "zh-CN": ("无法从“{value}”生成网址名", "文件名至少要包含一个汉字、字母或数字。"),
        "en": ("no slug can be made from '{value}'", "The file name needs at least one letter, digit or Chinese character."),
    },
}
