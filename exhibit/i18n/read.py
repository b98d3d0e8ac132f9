"""Problems found while reading content files: encodings, front matter, YAML, field values, lint."""

from __future__ import annotations

from exhibit.i18n.entry import Entry

MESSAGES: dict[str, Entry] = {
    # --- reading files -----------------------------------------------------------
    "read_failed": {
        "zh-CN": ("无法读取文件：{detail}", "检查文件是否存在、是否被其他程序占用。"),
        "en": ("cannot read the file: {detail}", "Check that the file exists and is not locked by another program."),
    },
    "symlink_outside": {
        "zh-CN": ("这是指向站点文件夹之外的快捷方式（符号链接），没有读取",
                  "把文件本身复制到 content/ 中，替换这个链接。"),
        "en": ("this is a symbolic link to something outside the site folder; it was not read",
               "Copy the file itself into content/ in place of the link."),
    },
    "symlink_dangling": {
        "zh-CN": ("这个快捷方式（符号链接）指向的文件不存在，已跳过", "删除这个链接，或把文件本身复制到这里。"),
        "en": ("this symbolic link points to something that does not exist; it was skipped",
               "Delete the link, or copy the file itself here."),
    },
    "symlink_loop": {
        "zh-CN": ("这个快捷方式（符号链接）指向它自己所在的文件夹，形成循环，已跳过", "删除这个链接。"),
        "en": ("this symbolic link leads back into a folder that contains it (a loop); it was skipped",
               "Delete the link."),
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
    "yaml_too_deep": {
        "zh-CN": ("字段嵌套超过 {limit} 层，无法读取", "减少缩进层数：字段一般只需要两三层。"),
        "en": ("the fields are nested more than {limit} levels deep and cannot be read",
               "Use fewer levels of indentation: fields rarely need more than two or three."),
    },
    "yaml_too_many_nodes": {
        "zh-CN": ("字段展开后超过 {limit} 个值（& 和 * 引用会重复内容），无法读取",
                  "去掉 &名称 和 *名称 引用，把内容直接写出来。"),
        "en": ("the fields expand to more than {limit} values (& anchors and * aliases repeat content) "
               "and cannot be read", "Remove the &name anchors and *name aliases and write the content out."),
    },
    "story_large": {
        "zh-CN": ("正文有 {size} MB，超过 {limit} MB，生成会很慢", "把长文分成几篇，或把资料放在附件（如 PDF）中。"),
        "en": ("the story is {size} MB, more than {limit} MB, so building it is slow",
               "Split it into several stories, or attach the material (for example as a PDF)."),
    },
    "story_too_large": {
        "zh-CN": ("正文有 {size} MB，超过上限 {limit} MB，没有生成", "把长文分成几篇，或把资料放在附件（如 PDF）中。"),
        "en": ("the story is {size} MB, over the limit of {limit} MB; it was not built",
               "Split it into several stories, or attach the material (for example as a PDF)."),
    },
    "markdown_too_deep": {
        "zh-CN": ("正文从这一行起列表或引用嵌套超过 {limit} 层，无法生成",
                  "减少列表缩进或 > 引用的层数：一般两三层就够了。"),
        "en": ("from this line the story nests lists or quotes more than {limit} levels deep and cannot be built",
               "Use fewer levels of list indentation or > quotes: two or three are usually enough."),
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
    # --- YAML --------------------------------------------------------------------
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
    # --- list files and folders --------------------------------------------------
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
    # --- fields ------------------------------------------------------------------
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
    # --- lint: text copied from web pages and Word -------------------------------
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
}
