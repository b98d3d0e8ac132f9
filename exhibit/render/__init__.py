"""From the model to HTML: the output kinds both plans produce, the showcase plan, pagination,
the Jinja environment, rendering, and the atomic output folder."""
