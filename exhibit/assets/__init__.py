"""The asset stage: screen-sized photos, a subset CJK font, fingerprinted CSS/JS, video facts, minification.

`stage.AssetStage` is what the pipeline calls; each other module does one job.
"""
