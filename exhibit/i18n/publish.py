"""What `publish` says: why a destination is refused, what changed, and what went wrong while copying."""

from __future__ import annotations

from exhibit.i18n.entry import Entry

MESSAGES: dict[str, Entry] = {
    # --- refusals: nothing has been built or written --------------------------------
    "publish_refused_root": {
        "zh-CN": ("不能发布到根目录 {folder}", "发布目标要写一个专用目录，例如 D:\\网站\\展示 或 /srv/www/showcase。"),
        "en": ("refusing to publish into the root folder {folder}",
               "Name a folder of its own, for example D:\\web\\showcase or /srv/www/showcase."),
    },
    "publish_refused_home": {
        "zh-CN": ("不能发布到用户主目录 {folder}", "在主目录下另建一个空目录（例如 {folder}/showcase），发布到那里。"),
        "en": ("refusing to publish into the home folder {folder}",
               "Make an empty folder inside it (for example {folder}/showcase) and publish there."),
    },
    "publish_refused_project": {
        "zh-CN": ("不能发布到站点项目本身或它的 content/、templates/、assets/、site/ 目录：{folder}",
                  "发布目标应是网站服务器的目录（或共享盘上的目录），放在项目之外。"),
        "en": ("refusing to publish into the project itself or its content/, templates/, assets/ or site/ folder: "
               "{folder}", "Publish to the web server's folder (or a folder on a share), outside the project."),
    },
    "publish_refused_not_folder": {
        "zh-CN": ("发布目标 {folder} 是一个文件，不是目录", "换一个目录名，或先把这个文件移走。"),
        "en": ("the publish target {folder} is a file, not a folder", "Name a folder, or move that file away first."),
    },
    "publish_refused_not_empty": {
        "zh-CN": ("发布目标 {folder} 里已有文件，但没有 Exhibit 的发布记录（.exhibit-publish.json）",
                  "为了不覆盖别人的文件，第一次发布只能发布到空目录。请新建一个空目录，或把已有文件移走后再发布。"),
        "en": ("the publish target {folder} holds files but no Exhibit publish record (.exhibit-publish.json)",
               "So that nobody's files are overwritten, the first publish must go to an empty folder. Make a new "
               "empty folder, or move the files away, then publish again."),
    },
    "publish_foreign_file": {
        "zh-CN": ("发布目标 {folder} 里的 {file} 不是 Exhibit 写入的，发布会覆盖它（共 {count} 个这样的文件）",
                  "把这些文件移到别处后再发布；Exhibit 不会改动它没有写过的文件。"),
        "en": ("{file} in the publish target {folder} was not written by Exhibit, and publishing would replace it "
               "({count} such files)", "Move those files elsewhere and publish again: Exhibit never changes files it "
               "did not write."),
    },
    "publish_manifest_broken": {
        "zh-CN": ("发布目标 {folder} 的发布记录 .exhibit-publish.json 无法读取（{detail}）",
                  "这个文件不能手工修改。从备份恢复它，或改为发布到一个新的空目录。"),
        "en": ("the publish record .exhibit-publish.json in {folder} cannot be read ({detail})",
               "It must not be edited by hand. Restore it from a backup, or publish to a new empty folder."),
    },
    "publish_rsync_missing": {
        "zh-CN": ("要发布到 {target} 需要 rsync，但这台电脑上没有安装",
                  "安装 rsync（Debian/Ubuntu：sudo apt-get install rsync），或把服务器目录映射为网络驱动器后发布到那里。"),
        "en": ("publishing to {target} needs rsync, which is not installed on this computer",
               "Install rsync (Debian/Ubuntu: sudo apt-get install rsync), or map the server's folder as a network "
               "drive and publish there."),
    },
    # --- failures while publishing: every file already replaced is whole -------------
    "publish_rsync_failed": {
        "zh-CN": ("rsync 发布到 {target} 时出错：{detail}",
                  "检查网络和服务器目录的权限后重新发布；已经传过去的文件都是完整的，读者看到的仍是旧版本。"),
        "en": ("rsync failed publishing to {target}: {detail}",
               "Check the network and the server folder's permissions, then publish again; every file already sent "
               "is whole and readers still see the previous version."),
    },
    "publish_write_failed": {
        "zh-CN": ("写入发布目标 {folder} 时出错：{detail}",
                  "检查磁盘空间和写入权限后重新发布；已写入的文件都是完整的，读者看到的仍是旧版本。"),
        "en": ("could not write to the publish target {folder}: {detail}",
               "Check the disk space and write permission, then publish again; every file already written is whole "
               "and readers still see the previous version."),
    },
    # --- progress and summaries ------------------------------------------------------
    "publish_progress": {"zh-CN": ("正在发布", None), "en": ("Publishing", None)},
    "publish_more_changes": {"zh-CN": ("……另有 {count} 项", None), "en": ("… and {count} more", None)},
    "publish_dry_run_summary": {
        "zh-CN": ("试运行：发布到 {dest} 将新增 {added} 个文件、更新 {changed} 个、删除 {removed} 个，{unchanged} 个不变；"
                  "没有写入任何文件", None),
        "en": ("dry run: publishing to {dest} would add {added} files, replace {changed}, remove {removed} and leave "
               "{unchanged} unchanged; nothing was written", None),
    },
    "publish_summary": {
        "zh-CN": ("已发布到 {dest}：新增 {added} 个文件，更新 {changed} 个，删除 {removed} 个，{unchanged} 个不变；"
                  "上一版的 {kept} 个资源文件保留到下次发布", None),
        "en": ("published to {dest}: {added} files added, {changed} replaced, {removed} removed, {unchanged} "
               "unchanged; {kept} assets of the previous version are kept until the next publish", None),
    },
    "publish_nothing_changed": {
        "zh-CN": ("{dest} 已是最新，没有文件需要改动（{unchanged} 个文件不变）", None),
        "en": ("{dest} is up to date: no file needed changing ({unchanged} unchanged)", None),
    },
    "publish_seconds": {"zh-CN": ("发布用时 {seconds:.1f} 秒", None), "en": ("publishing took {seconds:.1f} s", None)},
}
