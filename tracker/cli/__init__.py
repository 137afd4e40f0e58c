"""Command-line interface: each command is a thin shell over a domain function."""

from __future__ import annotations

from flask import Flask

from tracker.cli.actions import actions_group
from tracker.cli.assessments import assessments_group
from tracker.cli.backup import backup_group
from tracker.cli.demo import demo_group
from tracker.cli.framework_file import framework_group
from tracker.cli.organisations import organisations_group, systems_group
from tracker.cli.readiness import readiness_group
from tracker.cli.reminders import reminders_group
from tracker.cli.scheduler import jobs_group, scheduler_group
from tracker.cli.users import users_group

COMMAND_GROUPS = [
    reminders_group,
    scheduler_group,
    jobs_group,
    framework_group,
    organisations_group,
    systems_group,
    users_group,
    readiness_group,
    assessments_group,
    actions_group,
    demo_group,
    backup_group,
]


def register_cli(app: Flask) -> None:
    for group in COMMAND_GROUPS:
        app.cli.add_command(group)
