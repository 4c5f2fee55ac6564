"""Typology: the 2x2 rule typology, weighted MCA, HCPC clustering, drivers of activity."""

from barometre.typology.describe import (
    CharacteristicCategory,
    ClusterDescription,
    describe_clusters,
)
from barometre.typology.drivers import (
    DRIVERS,
    DriverImportance,
    DriversResult,
    DriverTerm,
    activity_drivers,
)
from barometre.typology.errors import (
    ColumnError,
    TypologyDefinitionError,
    TypologyError,
    UnknownCategoryError,
    WeightError,
)
from barometre.typology.hcpc import HCPCResult, hcpc
from barometre.typology.mca import Category, MCAResult, SupplementaryCategories, mca
from barometre.typology.model import ClusterModel, cluster_model
from barometre.typology.profiles import (
    PROFILE_VARIABLES,
    CategoryProfile,
    DesignSpec,
    SegmentProfile,
    SegmentShare,
    SegmentShares,
    segment_profiles,
    segment_shares,
)
from barometre.typology.rules import (
    NOT_CLASSIFIED,
    Axis,
    RuleTypology,
    Segment,
    SegmentAssignment,
    SegmentCount,
    Side,
    assign_segment,
    assign_segments,
    load_typology,
    parse_typology,
    typology_from_dict,
)

__all__ = [
    "DRIVERS",
    "NOT_CLASSIFIED",
    "PROFILE_VARIABLES",
    "Axis",
    "Category",
    "CategoryProfile",
    "CharacteristicCategory",
    "ClusterDescription",
    "ClusterModel",
    "ColumnError",
    "DesignSpec",
    "DriverImportance",
    "DriverTerm",
    "DriversResult",
    "HCPCResult",
    "MCAResult",
    "RuleTypology",
    "Segment",
    "SegmentAssignment",
    "SegmentCount",
    "SegmentProfile",
    "SegmentShare",
    "SegmentShares",
    "Side",
    "SupplementaryCategories",
    "TypologyDefinitionError",
    "TypologyError",
    "UnknownCategoryError",
    "WeightError",
    "activity_drivers",
    "assign_segment",
    "assign_segments",
    "cluster_model",
    "describe_clusters",
    "hcpc",
    "load_typology",
    "mca",
    "parse_typology",
    "segment_profiles",
    "segment_shares",
    "typology_from_dict",
]
