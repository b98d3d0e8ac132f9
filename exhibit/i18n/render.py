"""Problems while rendering pages with the site's templates."""

from __future__ import annotations

from exhibit.i18n.entry import Entry

MESSAGES: dict[str, Entry] = {
    "url_collision": {
        "zh-CN": ("两个页面要写到同一个位置 {value}", "重命名其中一个来源文件。"),
        "en": ("two pages would be written to {value}", "Rename one of the source files."),
    },
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
}
