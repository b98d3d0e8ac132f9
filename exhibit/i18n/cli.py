"""What a run prints on the terminal: the project folders, the output, progress and summaries.

Also the two pieces every message may use: the hint prefix and `{did_you_mean}` (filled by format_message).
"""

from __future__ import annotations

from exhibit.i18n.entry import Entry

MESSAGES: dict[str, Entry] = {
    # --- shared by every message -------------------------------------------------
    "hint_prefix": {"zh-CN": ("提示：", None), "en": ("hint: ", None)},
    "did_you_mean": {"zh-CN": ("是不是想写“{suggestion}”？", None),
                     "en": ("Did you mean '{suggestion}'? ", None)},
    # --- project layout and output -----------------------------------------------
    "root_missing": {
        "zh-CN": ("找不到站点目录 {folder}", "用 --root 指向包含 content/ 和 templates/ 的目录。"),
        "en": ("site folder {folder} does not exist",
               "Point --root at the folder that holds content/ and templates/."),
    },
    "content_missing": {
        "zh-CN": ("找不到 content/ 目录", "在站点目录下建立 content/，并放入 site.yaml。"),
        "en": ("there is no content/ folder", "Create content/ in the site folder, with a site.yaml in it."),
    },
    "templates_missing": {
        "zh-CN": ("找不到 templates/ 目录", "从 Exhibit 自带的示例站点复制 templates/ 目录。"),
        "en": ("there is no templates/ folder", "Copy the templates/ folder from the Exhibit sample site."),
    },
    "out_inside_source": {
        "zh-CN": ("输出目录 {folder} 不能在 content/、templates/ 或 assets/ 之内", "把 --out 指向其他位置，例如 site/。"),
        "en": ("the output folder {folder} must not be inside content/, templates/ or assets/",
               "Point --out elsewhere, for example site/."),
    },
    "out_not_site": {
        "zh-CN": ("输出目录 {folder} 不是空目录，也不是 Exhibit 生成的站点，为防止误删，拒绝覆盖",
                  "换一个 --out 目录，或确认无用后手动清空它。"),
        "en": ("the output folder {folder} is not empty and was not made by Exhibit; refusing to replace it",
               "Choose another --out folder, or empty it yourself if nothing in it is needed."),
    },
    "write_failed": {
        "zh-CN": ("写入输出失败：{detail}", "检查磁盘空间和目录权限；原有的站点未被改动。"),
        "en": ("writing the output failed: {detail}", "Check disk space and permissions; the previous site is unchanged."),
    },
    # --- the run as a whole ------------------------------------------------------
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
    # --- summaries and progress --------------------------------------------------
    "serve_port_range": {
        "zh-CN": ("端口 {port} 不可用：端口号必须在 0 到 65535 之间", "例如 --port 8000（0 表示由系统挑选一个空闲端口）。"),
        "en": ("port {port} cannot be used: a port number is from 0 to 65535",
               "For example --port 8000 (0 lets the system pick a free port)."),
    },
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
    "summary_check_failed": {
        "zh-CN": ("检查未通过：{errors} 个错误，{warnings} 个警告", None),
        "en": ("check failed: {errors} error(s), {warnings} warning(s)", None),
    },
    "summary_failed": {
        "zh-CN": ("未生成站点：{errors} 个错误，{warnings} 个警告。请先修正以上错误，原有的站点保持不变", None),
        "en": ("nothing was built: {errors} error(s), {warnings} warning(s). Fix the errors above; "
               "the previous site is unchanged", None),
    },
    "progress_images": {"zh-CN": ("正在处理图片", None), "en": ("Processing images", None)},
    "progress_font": {"zh-CN": ("正在生成字体子集", None), "en": ("Subsetting the font", None)},
}
