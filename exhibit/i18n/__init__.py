"""Every string a publicity worker reads: diagnostics and page labels, in zh-CN and English."""
