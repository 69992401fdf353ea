"""The dashboard's reads: problem, activity and programme figures of one unit's subtree and
period, its child units and its county map (``selectors.dashboard``), and the static assets
(``assets``: ECharts from npm)."""
