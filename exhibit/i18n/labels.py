"""Words the built-in templates show, in zh-CN and English (`t('key')` in templates)."""

from __future__ import annotations

from exhibit.i18n.messages import normalise_language

LABELS: dict[str, tuple[str, str]] = {
    # navigation and sections: (zh-CN, en)
    "site_nav": ("站点导航", "Site navigation"),
    "home": ("首页", "Home"),
    "units": ("组织架构", "Organisation"),
    "unit_tree": ("“1+2+N”党支部体系", "The 1+2+N branch system"),
    "workers": ("劳模先进", "Model workers"),
    "teams": ("党员团队", "Party-member teams"),
    "honors": ("风采荣誉", "Honors"),
    "history": ("发展轨迹", "History"),
    "activities": ("特色活动", "Activities"),
    "philosophy": ("车间理念", "Philosophy"),
    "counts": ("内容统计", "At a glance"),
    "latest_activities": ("最新活动", "Latest activities"),
    "timeline": ("发展轨迹", "Timeline"),
    "honors_wall": ("荣誉墙", "Wall of honors"),
    # fields
    "secretary": ("支部书记", "Secretary"),
    "theme": ("创建主题", "Theme"),
    "leader": ("负责人", "Leader"),
    "members": ("成员", "Members"),
    "awarded_by": ("授予单位", "Awarded by"),
    "recipient": ("获奖对象", "Recipient"),
    "level": ("级别", "Level"),
    "since": ("入职/入党年份", "Since"),
    "quote": ("格言", "Motto"),
    "date": ("日期", "Date"),
    "display_period": ("展示时间", "On display"),
    "tier": ("创建层级", "Tier"),
    "kind": ("组织类型", "Kind"),
    "tags": ("标签", "Tags"),
    "slogan": ("理念", "Slogan"),
    # navigation words
    "back_to_list": ("返回列表", "Back to the list"),
    "prev": ("上一条", "Previous"),
    "next": ("下一条", "Next"),
    "empty": ("暂无内容", "Nothing here yet"),
    "more": ("查看更多", "More"),
    "belongs_to": ("所属组织", "Unit"),
    "sub_units": ("下级组织", "Sub-units"),
    "footer_note": ("本站由 Exhibit 生成", "Made with Exhibit"),
    "skip_to_content": ("跳到正文", "Skip to content"),
    "items_count": ("条", "items"),
    "breadcrumb": ("当前位置", "Breadcrumb"),
    "other": ("其他", "Other"),
    # pagination (partials/pager.html); {n} and {total} are filled in by the template
    "pagination": ("分页", "Pages"),
    "page_prev": ("上一页", "Previous"),
    "page_next": ("下一页", "Next"),
    "page_n": ("第 {n} 页", "Page {n}"),
    "view_all": ("查看全部 {total} 条", "View all {total}"),
    "close": ("关闭", "Close"),
    # display screens (templates/kiosk/)
    "screens": ("显示屏", "Display screens"),
    "screens_intro": ("每块显示屏正在播放的内容预览。点“打开屏幕”看完整画面。",
                      "A live preview of what each display screen plays. Use “Open screen” to see it full size."),
    "screen_location": ("位置", "Location"),
    "screen_resolution": ("分辨率", "Resolution"),
    "screen_slides": ("幻灯片", "Slides"),
    "screen_open": ("打开屏幕", "Open screen"),
    "screen_touch": ("触摸屏", "Touch screen"),
    "landscape": ("横屏", "Landscape"),
    "portrait": ("竖屏", "Portrait"),
    "safety_title": ("安全生产", "Safe production"),
    "safety_days": ("天", "days"),
    "safety_since": ("起算日期", "Counting since"),
    "read_story": ("阅读全文", "Read the story"),
    "prev_slide": ("上一页", "Previous"),
    "next_slide": ("下一页", "Next"),
    "team_leader": ("带头人", "Led by"),
    "team_members": ("成员", "Members"),
    "scan_to_read": ("扫码阅读", "Scan to read"),
    "status_title": ("屏幕状态", "Screen status"),
    "status_screen": ("屏幕", "Screen"),
    "status_version": ("内容版本", "Content version"),
    "status_built": ("生成时间", "Built"),
    "status_checked": ("上次成功检查更新", "Last successful update check"),
    "status_updated": ("上次更新内容", "Last content update"),
    "status_clock": ("屏幕时钟", "Screen clock"),
    "status_clock_wrong": ("屏幕时钟早于内容生成时间，日程按生成时间计算，请校准时间",
                           "The screen's clock is earlier than the build time; schedules use the build time. "
                           "Set the clock."),
    "status_slide": ("当前幻灯片", "Current slide"),
    "status_errors": ("最近的错误", "Recent errors"),
    "status_none": ("无", "none"),
    "status_hint": ("按 S 键关闭", "Press S to close"),
    # values: tiers, unit kinds, honor levels
    "benchmark": ("标杆党支部", "Benchmark branch"),
    "demonstration": ("示范党支部", "Demonstration branch"),
    "standard": ("标准党支部", "Standard branch"),
    "committee": ("党委", "Party committee"),
    "general-branch": ("党总支", "General branch"),
    "branch": ("党支部", "Branch"),
    "workshop": ("车间", "Workshop"),
    "national": ("国家级", "National"),
    "provincial": ("省部级", "Provincial"),
    "group": ("集团级", "Group"),
    "company": ("公司级", "Company"),
    "plant": ("厂级", "Plant"),
}

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December")


def label(key: object, lang: str) -> str:
    """The label for a key; an unknown key is shown as written (never an error)."""
    pair = LABELS.get(str(key))
    if pair is None:
        return str(key)
    return pair[0] if normalise_language(lang) == "zh-CN" else pair[1]
