from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create a demo administrator account when no user exists yet, and print its name and password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default="parkdash-demo")

    def handle(self, *args, username, password, **options):
        User = get_user_model()
        if User.objects.exists():
            self.stdout.write("Users exist already: no demo account created.")
            return
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.WARNING(
                f"Created the demo administrator “{username}” with password “{password}”. Change it before real use."
            )
        )
