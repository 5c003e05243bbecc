"""The admin lists deleted records, each linking to the history page where it can be restored."""

from django.test import TestCase

from parkdash.projects.models import Project
from tests.support import make_admin, park_with_data


class DeletedRecordsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = park_with_data(n_projects=2)

    def test_a_deleted_project_is_listed_with_a_link_to_its_history(self):
        self.client.force_login(self.user)
        project = Project.objects.filter(park=self.park).first()
        pk, name = project.pk, project.name
        self.client.post("/admin/projects/project/{}/delete/".format(pk), {"post": "yes"})
        self.assertFalse(Project.objects.filter(pk=pk).exists())
        changelist = self.client.get("/admin/projects/project/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(changelist, "/admin/projects/project/deleted/")
        page = self.client.get("/admin/projects/project/deleted/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(page, name)
        self.assertContains(page, "/admin/projects/project/{}/history/".format(pk))
        self.assertNotContains(page, Project.objects.filter(park=self.park).first().name)
        self.assertEqual(self.client.get("/admin/projects/project/{}/history/".format(pk)).status_code, 200)
