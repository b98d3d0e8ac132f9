"""Problems with videos, fonts and stylesheets while the assets are prepared."""

from __future__ import annotations

from exhibit.i18n.entry import Entry

MESSAGES: dict[str, Entry] = {
    # --- videos ------------------------------------------------------------------
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
    # --- fonts -------------------------------------------------------------------
    "font_licence_restrictive": {
        "zh-CN": ("网页字体取自系统字体“{family}”（{file}）：它的许可证不允许把字体（包括子集）放到网站上",
                  "安装开源的思源黑体 Noto Sans SC 或 Source Han Sans（SIL OFL 许可，可以随网站发布），构建会优先使用它；"
                  "或在 content/site.yaml 中写 font: 指向它的字体文件。见 docs/assets.md。"),
        "en": ("the web font is taken from the system font {family} ({file}), whose licence does not allow putting "
               "it (or a subset) on a website",
               "Install Noto Sans SC or Source Han Sans (SIL OFL: free to publish with the site), which the build "
               "prefers, or set `font:` in content/site.yaml to its file. See docs/assets.md."),
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
    # --- stylesheets -------------------------------------------------------------
    "css_reference_missing": {
        "zh-CN": ("样式表引用的文件“{value}”不存在", "检查 url(…) 中的路径；路径相对于这个 CSS 文件。"),
        "en": ("the stylesheet refers to '{value}', which does not exist",
               "Check the path in url(…); it is relative to this CSS file."),
    },
}
