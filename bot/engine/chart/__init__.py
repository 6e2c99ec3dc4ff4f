"""A candidate's progress as one PNG, sized for a Discord embed image.

Pure Python and Pillow, so any front end can attach it and tests need no Discord or database.
Rendering is split in two: `layout.plan_chart` computes every position without fonts or
pixels (cheap to test), and `paint.render_progress_chart` paints that plan.
"""

from bot.engine.chart.layout import ChartPlan, plan_chart
from bot.engine.chart.paint import render_progress_chart

__all__ = ["ChartPlan", "plan_chart", "render_progress_chart"]
