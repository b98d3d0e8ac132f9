"""Problems in the display screens' settings (content/screens/*.yaml and site.yaml's kiosk:)."""

from __future__ import annotations

from exhibit.i18n.entry import Entry

MESSAGES: dict[str, Entry] = {
    # --- screens -----------------------------------------------------------------
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
    # --- site.yaml kiosk: --------------------------------------------------------
    "kiosk_not_mapping": {
        "zh-CN": ("site.yaml 中的 kiosk: 应由“字段: 值”组成", "例如在 kiosk: 下缩进写 safety_start: 2020-01-01。"),
        "en": ("kiosk: in site.yaml must consist of `field: value` lines", "For example, indent 'safety_start: 2020-01-01' under kiosk:."),
    },
    "kiosk_safety_start": {
        "zh-CN": ("安全生产起算日“{value}”要写到具体哪一天", "写成 2020-01-01 这样的完整日期。"),
        "en": ("the safety start date '{value}' must name a day", "Write a full date such as 2020-01-01."),
    },
}
