"""Test cases whose client and messages are in English, so that assertions hold once the Chinese catalogue is
compiled (the product's default language is Chinese)."""

from django.test import Client, TestCase
from django.utils import translation


class EnglishClient(Client):
    def __init__(self, **defaults):
        defaults.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        super().__init__(**defaults)


class EnglishTestCase(TestCase):
    """A test case that reads messages in English, so its assertions hold once the Chinese catalogue is compiled."""

    client_class = EnglishClient

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.enterClassContext(translation.override("en"))
