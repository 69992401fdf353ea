"""The words a 问题 file may use for its enumerations: each choice's Chinese label, its code value,
its English label, and the synonyms clerks really write. Only unambiguous ones: 信访 alone could be
a letter, a visit or a petition backlog, and 走访 is a cadre's visit rather than a channel, so
neither is accepted."""

from minqing.core.importing.values import Choices, synonyms
from minqing.ledger.enums import Channel, ResolutionKind, Satisfaction, Source, State
from minqing.ledger.problem_format import CHOICES as ENUMS

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "source": {
        Source.PUBLIC: ("群众",),
        Source.SELF_INSPECTION: ("自查", "检视"),
        Source.PETITION_BACKLOG: ("积案",),
        Source.SUPERVISION: ("督导",),
        Source.RESEARCH: ("调研",),
    },
    "channel": {
        Channel.LETTER: ("信件", "信函", "书信"),
        Channel.VISIT: ("上访", "到访"),
        Channel.CALL: ("电话", "热线", "热线电话"),
        Channel.ONLINE: ("网上", "线上", "网上信访", "互联网"),
    },
    "state": {
        State.REGISTERED: ("登记",),
        State.ASSIGNED: ("交办",),
        State.ACCEPTED: ("受理",),
        State.RECTIFYING: ("整改", "正在整改"),
        State.RESOLVED: ("办结",),
        State.CLOSED: ("销号",),
        State.RETURNED: ("退回",),
        State.MERGED: ("合并",),
    },
    "resolution_kind": {
        ResolutionKind.ON_THE_SPOT: ("立即整改", "即知即改"),
        ResolutionKind.RECTIFIED: ("限时整改",),
        ResolutionKind.EXPLAINED: ("解释",),
        ResolutionKind.TRANSFERRED: ("转交",),
    },
    "satisfaction": {
        Satisfaction.SATISFIED: ("非常满意",),
    },
}

CHOICES: dict[str, Choices] = {key: Choices(ENUMS[key], synonyms(SYNONYMS[key])) for key in ENUMS}
