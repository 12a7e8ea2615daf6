"""The session clock and the Qt-free series of a session (no Qt, no wall clock).

``charting.schedule`` says which vitals checks are due, done, deferred or overdue at a moment
and how long the infusion and the observation have run; ``charting.series`` builds the plot
points, time-axis marks and flowsheet rows that the Qt UI and the PDF both draw;
``charting.course`` summarises a patient's course (sessions, PHQ-9 trend, response and
remission) for the course view and the course PDF. Every function that depends on the moment
takes ``now`` (timezone-aware UTC) as a parameter.
"""

from charting.course import (
    DEFAULT_OUTCOMES,
    CourseSessionRow,
    CourseSummary,
    OutcomeDefinition,
    Phq9Point,
    SessionStatus,
    SideEffectSummary,
    course_summary,
    summarize_course,
    summarize_session,
)
from charting.flowsheet import (
    FLOWSHEET_COLUMNS,
    FlowsheetCell,
    FlowsheetColumn,
    FlowsheetRow,
    build_flowsheet,
)
from charting.marks import (
    AlertMark,
    PauseMark,
    RateMark,
    RateStep,
    SideEffectMark,
    TimelineMarks,
    TimeMark,
    build_marks,
)
from charting.schedule import (
    CheckKind,
    CheckStatus,
    DueCheck,
    InfusionClock,
    due_checks,
    infusion_elapsed,
    next_check,
    observation_elapsed,
    seconds_until,
)
from charting.series import (
    VALUE_AXES,
    VITAL_PARAMETERS,
    AxisRange,
    SessionSeries,
    ValueAxis,
    VitalPoint,
    VitalsSeries,
    build_series,
    build_vitals,
)

__all__ = [
    "DEFAULT_OUTCOMES",
    "FLOWSHEET_COLUMNS",
    "VALUE_AXES",
    "VITAL_PARAMETERS",
    "AlertMark",
    "AxisRange",
    "CheckKind",
    "CheckStatus",
    "CourseSessionRow",
    "CourseSummary",
    "DueCheck",
    "FlowsheetCell",
    "FlowsheetColumn",
    "FlowsheetRow",
    "InfusionClock",
    "OutcomeDefinition",
    "PauseMark",
    "Phq9Point",
    "RateMark",
    "RateStep",
    "SessionSeries",
    "SessionStatus",
    "SideEffectMark",
    "SideEffectSummary",
    "TimeMark",
    "TimelineMarks",
    "ValueAxis",
    "VitalPoint",
    "VitalsSeries",
    "build_flowsheet",
    "build_marks",
    "build_series",
    "build_vitals",
    "course_summary",
    "due_checks",
    "infusion_elapsed",
    "next_check",
    "observation_elapsed",
    "seconds_until",
    "summarize_course",
    "summarize_session",
]
