"""The catalogue of every message a person reads, in zh-CN and English.

Each code maps to (message, hint) per language. Arguments are filled with
`str.format`; a `suggestion` argument also fills `{did_you_mean}`.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"

Entry = tuple[str, str | None]

CATALOGUE: dict[str, dict[str, Entry]] = {
    "hint_prefix": {"zh-CN": ("提示：", None), "en": ("hint: ", None)},
    "did_you_mean": {"zh-CN": ("是不是想写“{suggestion}”？", None),
                     "en": ("Did you mean '{suggestion}'? ", None)},
    # --- project layout -------------------------------------------------
    "root_missing": {
        "zh-CN": ("找不到站点目录 {folder}", "用 --root 指向包含 content/ 和 templates/ 的目录。"),
        "en": ("site folder {folder} does not exist",
               "Point --root at the folder that holds content/ and templates/."),
    },
    "content_missing": {
        "zh-CN": ("找不到 content/ 目录", "在站点目录下建立 content/，并放入 site.yaml。"),
        "en": ("there is no content/ folder", "Create content/ in the site folder, with a site.yaml in it."),
    },
    "config_missing": {
        "zh-CN": ("找不到站点配置文件 content/site.yaml",
                  "新建 content/site.yaml，至少写上 title: 站点名称 和 units: 组织机构列表。"),
        "en": ("the site settings file content/site.yaml is missing",
               "Create content/site.yaml with at least `title:` and a `units:` list."),
    },
    "templates_missing": {
        "zh-CN": ("找不到 templates/ 目录", "从 Exhibit 自带的示例站点复制 templates/ 目录。"),
        "en": ("there is no templates/ folder", "Copy the templates/ folder from the Exhibit sample site."),
    },
    # --- reading files ----------------------------------------------------
    "read_failed": {
        "zh-CN": ("无法读取文件：{detail}", "检查文件是否存在、是否被其他程序占用。"),
        "en": ("cannot read the file: {detail}", "Check that the file exists and is not locked by another program."),
    },
    "decoded_as_gbk": {
        "zh-CN": ("文件以 GBK/GB18030 编码保存，已按此读取",
                  "请另存为 UTF-8：记事本“另存为”→编码选“UTF-8”；VS Code 右下角点编码→“通过编码保存”→UTF-8。"),
        "en": ("the file is saved as GBK/GB18030; it was read as such",
               "Save it as UTF-8: Notepad: Save As → Encoding: UTF-8; VS Code: click the encoding in the "
               "status bar → Save with Encoding → UTF-8."),
    },
    "decode_failed": {
        "zh-CN": ("无法识别文件编码：这一行有无效字符", "请用 UTF-8 编码另存此文件。"),
        "en": ("the file's text encoding is not recognised: this line holds invalid bytes",
               "Save the file as UTF-8."),
    },
    "frontmatter_unclosed": {
        "zh-CN": ("开头的 --- 没有对应的结束 ---", "在第 {at_line} 行（字段结束后、正文开始前）单独加一行 ---。"),
        "en": ("the front matter opened with --- is never closed",
               "Add a line containing only --- at line {at_line}, after the last field and before the story."),
    },
    "frontmatter_fence_lookalike": {
        "zh-CN": ("字段区的分隔线写成了“{value}”", "分隔线要用三个英文减号 ---（输入法切换到英文再输入）；python build.py check --fix 可自动改正。"),
        "en": ("the front-matter fence is written as '{value}'",
               "Fences are three ASCII hyphens: ---; python build.py check --fix corrects it."),
    },
    "frontmatter_missing": {
        "zh-CN": ("文件开头没有字段区（front matter）",
                  "在文件第一行写 ---，接着写 name: … 等字段，再写一行 --- 结束，然后是正文。"),
        "en": ("the file does not start with front matter",
               "Start the file with a line ---, then the fields (name: …), then a line ---, then the story."),
    },
    "frontmatter_not_mapping": {
        "zh-CN": ("字段区应为“字段名: 值”的列表", "每行写一个字段，例如 name: 张三。"),
        "en": ("the front matter must be a list of `field: value` lines", "Write one field per line, e.g. `name: Zhang San`."),
    },
    "yaml_syntax": {
        "zh-CN": ("YAML 格式错误：{detail}", "检查这一行的缩进、冒号和引号；含冒号或 # 的值请用英文引号括起来。"),
        "en": ("YAML syntax error: {detail}",
               "Check this line's indentation, colons and quotes; quote a value that contains a colon or #."),
    },
    "invisible_character": {
        "zh-CN": ("这里有一个看不见的控制字符（{code}），多半是从 Word 或网页复制带来的",
                  "删除这一行中该位置的字符（可以把这一行删掉后重新输入）。"),
        "en": ("an invisible control character ({code}) is here, probably pasted from Word or a web page",
               "Delete the character at this position (or retype the line)."),
    },
    "yaml_fullwidth_colon": {
        "zh-CN": ("字段名后用了中文冒号“：”", "把“{key}：”改为英文冒号加空格“{key}: ”。"),
        "en": ("a full-width colon '：' follows the field name", "Write '{key}: ' with an ASCII colon and a space."),
    },
    "yaml_tab_indent": {
        "zh-CN": ("这一行用 Tab 或全角空格缩进", "YAML 只能用半角空格缩进，请把 Tab/全角空格换成两个半角空格。"),
        "en": ("this line is indented with a tab or a full-width space",
               "YAML indents with plain spaces only: replace it with two spaces."),
    },
    "yaml_fullwidth_space": {
        "zh-CN": ("字段“{key}”的冒号后面是全角空格", "把冒号后的全角空格换成一个半角空格：“{key}: 值”。"),
        "en": ("a full-width space follows the colon of '{key}'", "Use one plain space after the colon: '{key}: value'."),
    },
    "yaml_colon_in_value": {
        "zh-CN": ("字段“{key}”的值里有“: ”，被当成了新的字段", "给整个值加英文双引号，例如 {key}: \"甲: 乙\"；或把值里的冒号改成中文冒号“：”。"),
        "en": ("the value of '{key}' contains ': ', which YAML reads as another field",
               "Put the whole value in double quotes: {key}: \"a: b\"."),
    },
    "yaml_quote_in_value": {
        "zh-CN": ("字段“{key}”的值以引号开头，但引号后面还有文字", "英文引号只能括住整个值：要么给整个值加引号，要么改用中文引号“”。"),
        "en": ("the value of '{key}' starts with a quote but goes on after it",
               "Quotes must enclose the whole value: quote all of it, or use Chinese quotes “”."),
    },
    "yaml_duplicate_key": {
        "zh-CN": ("字段“{key}”写了两次（第一次在第 {first_line} 行）", "删除其中一处，只保留一个。"),
        "en": ("the field '{key}' appears twice (first on line {first_line})", "Keep one of them."),
    },
    "list_file_not_list": {
        "zh-CN": ("{name} 应是一个列表，每条以“- ”开头", "每条记录以“- title: …”开头，下面的字段缩进两个空格。"),
        "en": ("{name} must be a list whose records start with '- '",
               "Start each record with '- title: …' and indent its other fields by two spaces."),
    },
    "list_item_not_mapping": {
        "zh-CN": ("列表中的这一条不是“字段: 值”的形式", "每条写成“- title: …”，其余字段缩进对齐。"),
        "en": ("this list entry is not a set of `field: value` lines",
               "Write each entry as '- title: …' with its other fields indented below it."),
    },
    "unknown_collection": {
        "zh-CN": ("“{folder}”不是已知的内容栏目", "{did_you_mean}栏目文件夹有：{choices}。"),
        "en": ("'{folder}' is not a known collection", "{did_you_mean}The collection folders are: {choices}."),
    },
    "stray_content_file": {
        "zh-CN": ("这个文件不在任何栏目文件夹里，已忽略", "把它移到 {choices} 之一的文件夹中。"),
        "en": ("this file is outside every collection folder and was ignored",
               "Move it into one of the folders: {choices}."),
    },
    # --- fields -------------------------------------------------------------
    "field_required": {
        "zh-CN": ("缺少必填字段“{field}”", "在字段区加上一行“{field}: …”。"),
        "en": ("the required field '{field}' is missing", "Add a line '{field}: …' to the front matter."),
    },
    "field_not_text": {
        "zh-CN": ("字段“{field}”应是一段文字", "写成“{field}: 文字”；多条内容请用列表。"),
        "en": ("the field '{field}' must be text", "Write '{field}: some text'."),
    },
    "field_not_list": {
        "zh-CN": ("字段“{field}”应是列表", "写成“{field}: [甲, 乙]”，或每项另起一行以“- ”开头。"),
        "en": ("the field '{field}' must be a list", "Write '{field}: [a, b]', or one '- item' per line below it."),
    },
    "field_not_number": {
        "zh-CN": ("字段“{field}”应是数字", "写成“{field}: 10”。"),
        "en": ("the field '{field}' must be a number", "Write '{field}: 10'."),
    },
    "field_yaml_bool": {
        "zh-CN": ("字段“{field}”的值被 YAML 读成了是/否（{value}）", "如果这是文字，请加英文引号：{field}: \"{value}\"。"),
        "en": ("YAML read the field '{field}' as yes/no ({value})", "If it is text, quote it: {field}: \"{value}\"."),
    },
    "field_choice": {
        "zh-CN": ("字段“{field}”的值“{value}”不在可选范围内", "{did_you_mean}可选值：{choices}。"),
        "en": ("'{value}' is not a valid value for '{field}'", "{did_you_mean}Valid values: {choices}."),
    },
    "field_date_no_month": {
        "zh-CN": ("字段“{field}”的日期“{value}”不存在：没有 {month} 月",
                  "月份只能是 1 到 12（例如 2021-06-30 或 2021年6月30日）；检查是否把月和日写反了。"),
        "en": ("the date '{value}' in '{field}' does not exist: there is no month {month}",
               "Months run from 1 to 12 (e.g. 2021-06-30); check whether month and day are swapped."),
    },
    "field_date_no_day": {
        "zh-CN": ("字段“{field}”的日期“{value}”不存在：{year} 年 {month} 月没有 {day} 日",
                  "检查日期是否写对（例如 2021-06-30 或 2021年6月30日）。"),
        "en": ("the date '{value}' in '{field}' does not exist: {year}-{month} has no day {day}",
               "Check the day (e.g. 2021-06-30)."),
    },
    "field_date": {
        "zh-CN": ("字段“{field}”的日期“{value}”无法识别",
                  "日期写成 2021、2021-06、2021-06-30 或 2021年6月30日 这几种形式之一。"),
        "en": ("the date '{value}' in '{field}' is not recognised",
               "Write a date as 2021, 2021-06 or 2021-06-30."),
    },
    "date_range_reversed": {
        "zh-CN": ("展示结束日期早于开始日期", "检查 display_from 和 display_until 是否写反。"),
        "en": ("display_until is earlier than display_from", "Check whether display_from and display_until are swapped."),
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
    # --- units --------------------------------------------------------------
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
    # --- references ---------------------------------------------------------
    "unit_unknown": {
        "zh-CN": ("组织“{value}”在 site.yaml 的 units 中不存在", "{did_you_mean}请填写 units 中某个组织的 id。"),
        "en": ("there is no unit '{value}' in site.yaml's units", "{did_you_mean}Use the id of a unit in site.yaml."),
    },
    "recipient_unknown": {
        "zh-CN": ("获奖对象“{value}”既不是组织 id，也不是劳模先进的文件名", "{did_you_mean}填写组织 id 或 workers/ 中的人物。"),
        "en": ("the recipient '{value}' is neither a unit id nor a worker", "{did_you_mean}Use a unit id or a worker's slug."),
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
    "video_unreadable": {
        "zh-CN": ("无法读取视频“{value}”（{detail}）", "视频请用 MP4（H.264 编码）或 WebM 格式，可用格式转换软件重新导出。"),
        "en": ("the video '{value}' cannot be read ({detail})", "Use MP4 (H.264) or WebM; convert it with a video converter."),
    },
    "video_no_ffprobe": {
        "zh-CN": ("构建电脑上没有 ffprobe，读不出视频“{value}”的时长，幻灯片将使用默认时长",
                  "安装 ffmpeg（Debian/Ubuntu：sudo apt-get install ffmpeg），或在内容中写明幻灯片时长。"),
        "en": ("ffprobe is not installed, so the length of the video '{value}' is unknown; slides use the default duration",
               "Install ffmpeg (Debian/Ubuntu: sudo apt-get install ffmpeg), or give the slide a duration."),
    },
    "font_not_found": {
        "zh-CN": ("没有找到中文字体：页面将使用访问者电脑上的系统字体（没有中文字体的展示屏会显示方框）",
                  "在 content/site.yaml 中写 font: 字体文件路径（TTF/OTF/TTC，例如把思源黑体 NotoSansCJKsc-Regular.otf "
                  "放到 content/fonts/ 后写 font: fonts/NotoSansCJKsc-Regular.otf），或在构建电脑上安装中文字体"
                  "（Debian/Ubuntu：sudo apt-get install fonts-noto-cjk）。"),
        "en": ("no CJK font was found: pages fall back to the viewer's system fonts (screens without a CJK font show boxes)",
               "Set `font:` in content/site.yaml to a TTF/OTF/TTC file (e.g. put NotoSansCJKsc-Regular.otf in "
               "content/fonts/ and write `font: fonts/NotoSansCJKsc-Regular.otf`), or install one on the build machine "
               "(Debian/Ubuntu: sudo apt-get install fonts-noto-cjk)."),
    },
    "font_file_missing": {
        "zh-CN": ("找不到字体文件“{value}”", "路径相对于 content/ 目录，也可写完整路径，例如 C:/Windows/Fonts/xxx.ttf。"),
        "en": ("the font file '{value}' does not exist",
               "The path is relative to content/; a full path such as C:/Windows/Fonts/xxx.ttf also works."),
    },
    "font_unreadable": {
        "zh-CN": ("“{value}”不是可用的字体文件（{detail}）", "请使用 TTF、OTF 或 TTC 格式的字体文件。"),
        "en": ("'{value}' is not a usable font file ({detail})", "Use a TTF, OTF or TTC font file."),
    },
    "font_family_missing": {
        "zh-CN": ("构建电脑上没有安装字体“{value}”", "用 fc-list :lang=zh family 查看已安装的中文字体，或改写 font: 字体文件路径。"),
        "en": ("the font '{value}' is not installed on the build machine",
               "List the installed CJK fonts with `fc-list :lang=zh family`, or set `font:` to a font file."),
    },
    "font_index_invalid": {
        "zh-CN": ("字体集合“{value}”中没有第 {index} 号字体（共 {count} 个，从 0 开始编号）",
                  "改正 index，或删掉 index 让构建自动选择简体中文字体。"),
        "en": ("the font collection '{value}' has no font number {index} (it holds {count}, numbered from 0)",
               "Correct the index, or remove it to let the build pick the Simplified Chinese font."),
    },
    "font_missing_chars": {
        "zh-CN": ("字体“{family}”缺少页面用到的 {count} 个字符：{chars}",
                  "这些字符将用访问者电脑上的字体显示；如需统一显示，请换用字符更全的字体。"),
        "en": ("the font '{family}' lacks {count} characters the pages use: {chars}",
               "They fall back to the viewer's fonts; choose a font with wider coverage to show them alike."),
    },
    "css_reference_missing": {
        "zh-CN": ("样式表引用的文件“{value}”不存在", "检查 url(…) 中的路径；路径相对于这个 CSS 文件。"),
        "en": ("the stylesheet refers to '{value}', which does not exist",
               "Check the path in url(…); it is relative to this CSS file."),
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
    "url_collision": {
        "zh-CN": ("两个页面要写到同一个位置 {value}", "重命名其中一个来源文件。"),
        "en": ("two pages would be written to {value}", "Rename one of the source files."),
    },
    # --- screens (content/screens/*.yaml, site.yaml kiosk:) ------------------------
    "screen_not_yaml": {
        "zh-CN": ("screens/ 中只放屏幕配置（.yaml 文件）", "把这个文件移到栏目文件夹中；屏幕配置写成 名称.yaml。"),
        "en": ("screens/ holds screen settings (.yaml files) only", "Move this file into a collection folder; describe a screen in NAME.yaml."),
    },
    "screen_not_mapping": {
        "zh-CN": ("屏幕配置应由“字段: 值”组成", "参照 docs/screens.md 的示例：name:、location:、playlist: 等。"),
        "en": ("a screen file must consist of `field: value` lines", "See the example in docs/screens.md: name:, location:, playlist: …"),
    },
    "screen_id_invalid": {
        "zh-CN": ("屏幕编号“{value}”只能包含小写字母、数字和 -", "例如 corridor-2f（可用拼音）；不写 id 时用文件名。"),
        "en": ("the screen id '{value}' may hold only lower-case letters, digits and '-'", "For example corridor-2f; without `id:` the file name is used."),
    },
    "screen_id_duplicate": {
        "zh-CN": ("屏幕编号“{value}”与 {other} 重复", "给每块屏幕一个不同的 id（或不同的文件名）。"),
        "en": ("the screen id '{value}' is also used by {other}", "Give each screen its own id (or file name)."),
    },
    "screen_resolution": {
        "zh-CN": ("分辨率“{value}”无法识别", "写成 宽x高，例如 1920x1080、1080x1920 或 3840x2160。"),
        "en": ("the resolution '{value}' is not recognised", "Write width x height, e.g. 1920x1080, 1080x1920 or 3840x2160."),
    },
    "screen_orientation_mismatch": {
        "zh-CN": ("方向“{orientation}”与分辨率 {value} 不一致", "竖屏的高度大于宽度（如 1080x1920），横屏反之。"),
        "en": ("the orientation '{orientation}' does not match the resolution {value}", "A portrait screen is taller than wide (1080x1920); a landscape one is wider."),
    },
    "screen_playlist_empty": {
        "zh-CN": ("这块屏幕的播放列表是空的，屏幕将只显示待机画面", "在 playlist: 下添加要播放的内容，例如“- collection: workers”。"),
        "en": ("this screen's playlist is empty; it will show only the standby slide", "Add entries under playlist:, e.g. '- collection: workers'."),
    },
    "screen_entry_kind": {
        "zh-CN": ("播放项要写 collection、item、widget 或 video 中的一个", "例如“- collection: workers”“- item: workers/邵志村”“- widget: safety”。"),
        "en": ("a playlist entry needs one of collection, item, widget or video", "For example '- collection: workers', '- item: workers/shao-zhi-cun', '- widget: safety'."),
    },
    "screen_entry_many": {
        "zh-CN": ("一个播放项只能写 collection、item、widget、video 中的一个（这里写了 {fields}）", "把它们拆成几个播放项，每项以“- ”开头。"),
        "en": ("a playlist entry takes only one of collection, item, widget, video (this one has {fields})", "Split it into several entries, each starting with '- '."),
    },
    "screen_collection_unknown": {
        "zh-CN": ("栏目“{value}”不存在", "{did_you_mean}可选栏目：{choices}。"),
        "en": ("there is no collection '{value}'", "{did_you_mean}The collections are: {choices}."),
    },
    "screen_item_format": {
        "zh-CN": ("item“{value}”应写成 栏目/文件名", "例如 item: workers/邵志村 或 item: honors/central-soe-model-branch。"),
        "en": ("item '{value}' must be written as collection/name", "For example item: workers/shao-zhi-cun."),
    },
    "screen_item_unknown": {
        "zh-CN": ("栏目 {collection} 中没有“{value}”", "{did_you_mean}写文件名（不含 .md）或网址名。"),
        "en": ("there is no '{value}' in {collection}", "{did_you_mean}Use the file name (without .md) or the slug."),
    },
    "screen_tag_unknown": {
        "zh-CN": ("栏目 {collection} 中没有任何内容带标签“{value}”", "{did_you_mean}检查标签的写法，要与内容文件 tags: 中的一致。"),
        "en": ("nothing in {collection} has the tag '{value}'", "{did_you_mean}The tag must be written as in the items' tags:."),
    },
    "screen_selection_empty": {
        "zh-CN": ("这个播放项按条件筛选后没有任何内容", "检查 unit、tags、slugs 的条件是否过严。"),
        "en": ("this playlist entry selects nothing", "Check whether unit, tags and slugs are too strict."),
    },
    "screen_layout_mismatch": {
        "zh-CN": ("版式“{value}”不能用于栏目 {collection}", "{collection} 可用的版式：{choices}；不写 layout 时自动选择。"),
        "en": ("the layout '{value}' cannot show {collection}", "Layouts for {collection}: {choices}; leave layout out to use the default."),
    },
    "screen_video_format": {
        "zh-CN": ("“{value}”不是可播放的视频", "使用 MP4（H.264）或 WebM 格式的视频。"),
        "en": ("'{value}' is not a playable video", "Use an MP4 (H.264) or WebM video."),
    },
    "screen_duration": {
        "zh-CN": ("播放时长 {value} 秒不合适", "duration 写 3 到 3600 之间的秒数，例如 duration: 12。"),
        "en": ("a duration of {value} seconds is not usable", "Write duration as seconds between 3 and 3600, e.g. duration: 12."),
    },
    "screen_number": {
        "zh-CN": ("字段“{field}”应是 {low} 到 {high} 之间的整数（现在是 {value}）", "例如 {field}: {low}。"),
        "en": ("'{field}' must be a whole number from {low} to {high} (it is {value})", "For example {field}: {low}."),
    },
    "screen_weekdays": {
        "zh-CN": ("星期“{value}”无法识别", "写成 周一至周五、工作日、周末，或数字列表 [1, 3, 5]（1 是周一）。"),
        "en": ("the weekdays '{value}' are not recognised", "Write mon-fri, weekend, or a list like [1, 3, 5] (1 is Monday)."),
    },
    "screen_hours": {
        "zh-CN": ("时间段“{value}”无法识别", "写成“08:00-18:00”（加英文引号），多个时间段用列表。"),
        "en": ("the time range '{value}' is not recognised", "Write \"08:00-18:00\" (in quotes); use a list for several ranges."),
    },
    "screen_time": {
        "zh-CN": ("时刻“{value}”无法识别", "写成“03:00”（加英文引号）。"),
        "en": ("the time '{value}' is not recognised", "Write \"03:00\" (in quotes)."),
    },
    "screen_field_unknown": {
        "zh-CN": ("不认识的字段“{field}”，已忽略", "{did_you_mean}可用字段：{choices}。"),
        "en": ("unknown field '{field}' was ignored", "{did_you_mean}Known fields: {choices}."),
    },
    "screen_not_bool": {
        "zh-CN": ("字段“{field}”应是 true 或 false", "写成“{field}: true”或“{field}: false”。"),
        "en": ("the field '{field}' must be true or false", "Write '{field}: true' or '{field}: false'."),
    },
    "kiosk_not_mapping": {
        "zh-CN": ("site.yaml 中的 kiosk: 应由“字段: 值”组成", "例如在 kiosk: 下缩进写 safety_start: 2020-01-01。"),
        "en": ("kiosk: in site.yaml must consist of `field: value` lines", "For example, indent 'safety_start: 2020-01-01' under kiosk:."),
    },
    "kiosk_safety_start": {
        "zh-CN": ("安全生产起算日“{value}”要写到具体哪一天", "写成 2020-01-01 这样的完整日期。"),
        "en": ("the safety start date '{value}' must name a day", "Write a full date such as 2020-01-01."),
    },
    # --- templates and output ----------------------------------------------------
    "template_missing": {
        "zh-CN": ("模板 {name} 不存在", "在 templates/ 中补上 {name}，或从示例站点复制。"),
        "en": ("the template {name} does not exist", "Add {name} to templates/, or copy it from the sample site."),
    },
    "template_syntax": {
        "zh-CN": ("模板语法错误：{detail}", "检查这一行的 {{% %}} 与 {{{{ }}}} 是否成对。"),
        "en": ("template syntax error: {detail}", "Check that {{% %}} and {{{{ }}}} are balanced on this line."),
    },
    "template_failed": {
        "zh-CN": ("渲染页面 {page} 时模板出错：{detail}", "检查模板中这一行用到的字段名是否存在。"),
        "en": ("the template failed while rendering {page}: {detail}",
               "Check that the fields this line uses exist."),
    },
    "out_not_site": {
        "zh-CN": ("输出目录 {folder} 不是空目录，也不是 Exhibit 生成的站点，为防止误删，拒绝覆盖",
                  "换一个 --out 目录，或确认无用后手动清空它。"),
        "en": ("the output folder {folder} is not empty and was not made by Exhibit; refusing to replace it",
               "Choose another --out folder, or empty it yourself if nothing in it is needed."),
    },
    "out_inside_source": {
        "zh-CN": ("输出目录 {folder} 不能在 content/、templates/ 或 assets/ 之内", "把 --out 指向其他位置，例如 site/。"),
        "en": ("the output folder {folder} must not be inside content/, templates/ or assets/",
               "Point --out elsewhere, for example site/."),
    },
    "write_failed": {
        "zh-CN": ("写入输出失败：{detail}", "检查磁盘空间和目录权限；原有的站点未被改动。"),
        "en": ("writing the output failed: {detail}", "Check disk space and permissions; the previous site is unchanged."),
    },
    "interrupted": {
        "zh-CN": ("构建被中断，原有的站点未被改动", None),
        "en": ("the build was interrupted; the previous site is unchanged", None),
    },
    "internal_error": {
        "zh-CN": ("Exhibit 内部出错：{detail}", "这不是您的内容问题。请把这条消息和 -v 的完整输出发给维护人员；原有的站点未被改动。"),
        "en": ("Exhibit failed internally: {detail}",
               "This is not a problem in your content. Send this message and the output of -v to the maintainers; "
               "the previous site is unchanged."),
    },
    # --- lint: text copied from web pages and Word ------------------------------------
    "lint_pinyin": {
        "zh-CN": ("文字里夹着拼音注音：{found}", "这是从网页复制带来的注音，删掉括号和拼音即可；python build.py check --fix 可自动删除。"),
        "en": ("pinyin annotations in the text: {found}",
               "They came with text copied from a web page: delete them, or run python build.py check --fix."),
    },
    "lint_traditional": {
        "zh-CN": ("这一行有繁体字：{found}", "本站是简体中文站点，请改为简体字；python build.py check --fix 可自动转换。"),
        "en": ("Traditional characters in a Simplified Chinese site: {found}",
               "Use Simplified characters; python build.py check --fix converts them."),
    },
    "lint_punctuation": {
        "zh-CN": ("中文句子里用了半角标点 {found}（{count} 处）",
                  "中文里请用全角标点：，。：；？！（）；python build.py check --fix 可自动替换。"),
        "en": ("half-width punctuation {found} inside Chinese sentences ({count})",
               "Chinese text takes full-width punctuation (，。：；？！（）); python build.py check --fix replaces it."),
    },
    # --- new ------------------------------------------------------------------------------
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
    # --- check --fix -------------------------------------------------------------------------
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
    # --- the preview server (serve) ----------------------------------------------------
    "serve_listening": {
        "zh-CN": ("预览地址：{url}  （修改文件后页面会自动刷新；按 Ctrl+C 停止）", None),
        "en": ("Preview at {url}  (pages reload by themselves after each edit; Ctrl+C stops)", None),
    },
    "serve_public_host": {
        "zh-CN": ("注意：预览服务监听在 {host}，局域网中的其他电脑也能访问", None),
        "en": ("note: the preview listens on {host}, so other computers on the network can open it", None),
    },
    "serve_rebuilt": {
        "zh-CN": ("已更新：写入 {written} 个文件，删除 {removed} 个，重新生成 {rendered} 个页面（{ms:.0f} 毫秒）", None),
        "en": ("updated: {written} file(s) written, {removed} removed, {rendered} page(s) rendered ({ms:.0f} ms)", None),
    },
    "serve_failed": {
        "zh-CN": ("发现 {errors} 个错误：浏览器中显示的仍是上一次正确生成的站点，改正后会自动更新", None),
        "en": ("{errors} error(s): the browser still shows the last good site; it updates once they are fixed", None),
    },
    "serve_fixed": {
        "zh-CN": ("错误已全部改正", None),
        "en": ("all errors are fixed", None),
    },
    "serve_stopped": {
        "zh-CN": ("预览已停止", None),
        "en": ("preview stopped", None),
    },
    "serve_port_busy": {
        "zh-CN": ("无法在 {host}:{port} 启动预览：{detail}", "可能已有一个预览在运行；关掉它，或换一个端口：--port 8001。"),
        "en": ("cannot start the preview on {host}:{port}: {detail}",
               "Another preview may be running: stop it, or choose another port with --port 8001."),
    },
    "serve_not_found": {
        "zh-CN": ("找不到页面 {path}", None),
        "en": ("there is no page {path}", None),
    },
    "overlay_title": {
        "zh-CN": ("站点有错误，尚未更新", None),
        "en": ("The site has errors and was not updated", None),
    },
    "overlay_note": {
        "zh-CN": ("下面显示的仍是上一次正确生成的页面。改正以下问题并保存，本提示会自动消失。", None),
        "en": ("The page below is the last good version. Fix these problems and save; this notice goes away by itself.", None),
    },
    "overlay_close": {
        "zh-CN": ("关闭", None),
        "en": ("Close", None),
    },
    # --- summaries --------------------------------------------------------------
    "summary_built": {
        "zh-CN": ("已生成 {pages} 个页面、{files} 个文件到 {out}，用时 {seconds:.2f} 秒；{errors} 个错误，{warnings} 个警告", None),
        "en": ("built {pages} pages and {files} files into {out} in {seconds:.2f} s; "
               "{errors} error(s), {warnings} warning(s)", None),
    },
    "summary_checked": {
        "zh-CN": ("检查完成：{items} 条内容、{pages} 个页面；{errors} 个错误，{warnings} 个警告", None),
        "en": ("checked {items} items and {pages} pages; {errors} error(s), {warnings} warning(s)", None),
    },
    "summary_images": {
        "zh-CN": ("图片 {images} 张：本次处理 {processed} 张，其余 {cached} 张来自缓存", None),
        "en": ("{images} images: {processed} processed, {cached} from the cache", None),
    },
    "summary_font": {
        "zh-CN": ("字体子集“{family}”：{chars} 个字符，{kilobytes} KB", None),
        "en": ("font subset '{family}': {chars} characters, {kilobytes} KB", None),
    },
    "progress_images": {"zh-CN": ("正在处理图片", None), "en": ("Processing images", None)},
    "progress_font": {"zh-CN": ("正在生成字体子集", None), "en": ("Subsetting the font", None)},
    "summary_check_failed": {
        "zh-CN": ("检查未通过：{errors} 个错误，{warnings} 个警告", None),
        "en": ("check failed: {errors} error(s), {warnings} warning(s)", None),
    },
    "summary_failed": {
        "zh-CN": ("未生成站点：{errors} 个错误，{warnings} 个警告。请先修正以上错误，原有的站点保持不变", None),
        "en": ("nothing was built: {errors} error(s), {warnings} warning(s). Fix the errors above; "
               "the previous site is unchanged", None),
    },
}


def normalise_language(lang: str | None) -> str:
    """Map loose spellings (zh, zh_CN, EN) to a catalogue language."""
    if not lang:
        return DEFAULT_LANGUAGE
    lowered = lang.replace("_", "-").lower()
    if lowered.startswith("zh"):
        return "zh-CN"
    if lowered.startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def format_message(code: str, lang: str, args: Mapping[str, object]) -> tuple[str, str | None]:
    """Return (message, hint) for a code in a language, filled with its arguments."""
    entry = CATALOGUE[code]
    message, hint = entry.get(normalise_language(lang), entry["en"])
    values = dict(args)
    suggestion = values.get("suggestion")
    did_you_mean = ""
    if suggestion:
        did_you_mean = CATALOGUE["did_you_mean"][normalise_language(lang)][0].format(suggestion=suggestion)
    values.setdefault("did_you_mean", did_you_mean)
    return message.format(**values), (hint.format(**values) if hint else None)
