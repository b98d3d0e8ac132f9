"""Display screens: their settings and schedules, slide data, playlists and the version file each screen polls."""
