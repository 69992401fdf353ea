"""The 2020 Teddy Cup message CSV header (the ``minqing nlp hot-topics`` input)."""

HEADER = ("留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "反对数", "点赞数")
