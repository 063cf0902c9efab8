"""The backend in process through the SDK's loopback: the same message handling as the plugin process."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from debootstrap_backend import DebootstrapBackend, _parse_deb822  # noqa: E402
from imgc_sdk import Loopback, PluginError  # noqa: E402


def ir(**system):
    return {"distribution": {"id": "debian", "release": "12"},
            "packages": {"install": [], "exclude": [{"name": "nano"}], "groups": [{"name": "gnome"}], "modules": [],
                         "remove": [], "bootstrap": [], "build": []},
            "system": dict({"services": {"enable": [], "disable": [], "mask": []}, "kernel": {"cmdline": []}}, **system)}


class BackendTest(unittest.TestCase):
    def setUp(self):
        self.rpc = Loopback(DebootstrapBackend())

    def test_handshake_and_description(self):
        self.assertEqual(self.rpc.request("initialize", {"apiVersion": 1})["apiVersion"], 1)
        d = self.rpc.request("describe")
        self.assertEqual(d["id"], "debootstrap")
        self.assertIn("bookworm", d["releases"]["debian"])
        self.assertIn("bootstrap", d["executes"])

    def test_release_numbers_map_to_suites(self):
        r = self.rpc.request("resolveDistribution", {"ir": ir(), "options": {}, "host": {"architecture": "x86_64"}})
        self.assertEqual(r["distribution"]["suite"], "bookworm")
        self.assertEqual(r["distribution"]["architecture"], "amd64")

    def test_unknown_release_is_a_diagnostic(self):
        bad = ir()
        bad["distribution"]["release"] = "buzz"
        r = self.rpc.request("resolveDistribution", {"ir": bad, "options": {}, "host": {"architecture": "x86_64"}})
        self.assertEqual(r["diagnostics"][0]["code"], "IMGC7002")
        self.assertNotIn("distribution", r)

    def test_plan_uses_the_first_repository_and_the_excludes(self):
        dist = {"id": "debian", "release": "12", "suite": "bookworm", "architecture": "amd64"}
        plan = self.rpc.request("plan", {"input": {
            "ir": ir(), "distribution": dist, "packages": ["systemd"], "bootstrapPackages": [],
            "separateInstall": False, "bootable": False, "options": {}, "sourceDir": "/", "host": {},
            "repositories": [{"id": "m", "urls": ["http://mirror.example/debian"]}]}})
        o = plan["bootstrap"]["options"]
        self.assertEqual((o["sources"], o["packages"], o["exclude"]), ("http://mirror.example/debian", ["systemd"], ["nano"]))

    def test_plan_without_repository_fails_with_the_plugin_code(self):
        with self.assertRaises(PluginError):
            self.rpc.request("plan", {"input": {"ir": ir(), "distribution": {}, "packages": [], "bootstrapPackages": [],
                                                "separateInstall": False, "repositories": []}})
        error = [m for m in self.rpc.sent if "error" in m][-1]["error"]
        self.assertEqual(error["data"]["diagnostic"]["code"], "DEBOOTSTRAP1")

    def test_groups_are_reported_as_not_applied(self):
        out = self.rpc.request("unappliedFields", {"ir": ir(selinux="enforcing")})
        self.assertEqual([d["pointer"] for d in out], ["/packages/groups/0", "/system/selinux"])

    def test_unknown_method(self):
        with self.assertRaises(PluginError):
            self.rpc.request("frobnicate")

    def test_deb822_parser_skips_comments(self):
        s = _parse_deb822("# c\nTypes: deb\nURIs: http://x/debian\nSuites: bookworm\n\nTypes: deb\nURIs: http://y\n")
        self.assertEqual([x["uris"] for x in s], ["http://x/debian", "http://y"])


if __name__ == "__main__":
    unittest.main()
