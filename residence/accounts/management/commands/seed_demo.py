"""Load the demo data and print the demo logins. Safe to run again."""

from __future__ import annotations

import importlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from residence.accounts.demo import demo_password, seed_organisations, seed_users
from residence.accounts.models import Role


class Command(BaseCommand):
    help = "Load demo agencies, offices, one user of every role and each app's demo records."

    def handle(self, *args, **options):
        password = demo_password()
        seed_organisations()
        users = seed_users(password)
        # Each app may ship demo records of its own in <app>/demo.py with a seed() function.
        for config in apps.get_app_configs():
            if config.name.startswith("residence.") or not Path(config.path).is_relative_to(
                settings.BASE_DIR
            ):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            module.seed()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Demo logins (password for all: {password}):")
        )
        for user in users:
            role = ", ".join(str(Role(r).label) for r in user.roles)
            where = user.office or user.agency or ""
            self.stdout.write(f"  {user.email:<28} {role:<24} {where}")
