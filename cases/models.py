"""The models of the cases app, defined in its feature packages and re-exported here, where
Django and the migrations look for them (app label ``cases``; no table was renamed).

Code imports a model from its own package (``cases.citizens.models`` …), never from here: the
layers (docs/architecture.md) are checked on those imports.
"""

from cases.citizens.models import *  # noqa: F403
from cases.matching.models import *  # noqa: F403
from cases.placements.models import *  # noqa: F403
