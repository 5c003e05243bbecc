"""The OpenAPI schema: valid, without a warning, committed as docs/api/openapi.yaml (so that an API change shows in
review) and served at /api/v1/schema/; the documentation page links only the project's own static files."""

import difflib
import io
from pathlib import Path

import yaml
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "api" / "openapi.yaml"


def generate():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", lang="en", stdout=out)
    return out.getvalue()


class SchemaFileTests(SimpleTestCase):
    def test_the_committed_schema_is_what_the_code_generates(self):
        generated = generate()
        committed = COMMITTED.read_text(encoding="utf-8")
        if generated != committed:
            diff = "".join(
                difflib.unified_diff(
                    committed.splitlines(True), generated.splitlines(True), "docs/api/openapi.yaml", "generated"
                )
            )
            self.fail(f"The API changed: run `make schema` and commit docs/api/openapi.yaml.\n{diff}")

    def test_every_endpoint_is_documented_with_its_errors(self):
        schema = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
        paths = schema["paths"]
        for name in ("figures", "indicators", "parks", "zones", "projects", "enterprises", "works"):
            with self.subTest(endpoint=name):
                listing = paths[f"/api/v1/{name}/"]["get"]
                self.assertTrue({"200", "400", "401", "429"} <= set(listing["responses"]))
                detail = paths[f"/api/v1/{name}/{{id}}/"]["get"]
                self.assertTrue({"200", "401", "404", "429"} <= set(detail["responses"]))
        self.assertEqual(set(schema["components"]["securitySchemes"]), {"tokenAuth", "sessionAuth"})
        parameters = {p["name"] for p in paths["/api/v1/figures/"]["get"]["parameters"]}
        wanted = {"park", "zone", "indicator", "year", "month", "kind", "version", "page", "page_size", "changed_since"}
        self.assertTrue(wanted <= parameters)
        writes = {
            ("post", "/api/v1/figures/"): {"201", "400", "401", "403", "429"},
            ("patch", "/api/v1/figures/{id}/"): {"200", "400", "403", "404", "409"},
            ("put", "/api/v1/figures/{id}/"): {"200", "400", "403", "404", "409"},
            ("post", "/api/v1/figures/bulk/"): {"200", "400", "401", "403", "429"},
        }
        for (method, path), codes in writes.items():
            with self.subTest(method=method, path=path):
                operation = paths[path][method]
                self.assertIn("application/json", operation["requestBody"]["content"])
                self.assertTrue(codes <= set(operation["responses"]))
        self.assertTrue({"204", "403", "404"} <= set(paths["/api/v1/figures/{id}/"]["delete"]["responses"]))


class SchemaViewTests(TestCase):
    def test_the_schema_is_served(self):
        response = self.client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(yaml.safe_load(response.content)["info"]["title"], "ParkDash API")

    def test_the_docs_page_loads_scripts_and_styles_from_our_static_files_only_and_no_inline_script(self):
        response = self.client.get(reverse("api:docs"))
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js", page)
        self.assertNotIn("<style", page)
        self.assertNotIn("<script>", page)
        self.assertNotIn("http", page)  # no CDN, no other site
        script = self.client.get(reverse("api:docs") + "?script=")
        self.assertEqual(script.status_code, 200)
        self.assertTrue(script["Content-Type"].startswith("application/javascript"))
        self.assertIn("SwaggerUIBundle", script.content.decode())
