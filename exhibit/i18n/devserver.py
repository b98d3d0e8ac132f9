"""The preview server's terminal lines and the error overlay it shows in the browser."""

from __future__ import annotations

from exhibit.i18n.entry import Entry

MESSAGES: dict[str, Entry] = {
    # --- terminal ----------------------------------------------------------------
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
    "serve_rebuilt_quick": {
        "zh-CN": ("已更新改动所在的 {written} 个页面（{ms:.0f} 毫秒）；其余页面在停止修改一秒后更新", None),
        "en": ("updated the {written} page(s) that show the edit ({ms:.0f} ms); the rest follows a second after the last save", None),
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
    "serve_bad_request": {
        "zh-CN": ("这个网址无法识别（含有无效字符或编码）", None),
        "en": ("this address cannot be read (it holds invalid characters or encoding)", None),
    },
    "serve_request_failed": {
        "zh-CN": ("预览处理一个请求时出错（{detail}）；预览仍在运行", None),
        "en": ("the preview failed to answer a request ({detail}); it is still running", None),
    },
    # --- the browser overlay -----------------------------------------------------
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
}
