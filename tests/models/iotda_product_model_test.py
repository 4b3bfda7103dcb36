#!/usr/bin/env python3
"""unit.IotdaProductModel: scripts/iotda_product_model.py against the real thing models and broken copies.

Every top-level property of every product (what the SDK's IoTDA profile reports, one key per property) must appear
once, in the service the profile reports it in (its defaults are read from sdk/include/docklink/iotda/profile.hpp),
with the data type, range, enum values and access its thing model gives; every DJI service of a dock must be a
command with its parameters. A model IoTDA cannot express must make the generator fail and say where.
Usage: iotda_product_model_test.py <repository root>
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "iotda_product_model.py")
MODELS = os.path.join(ROOT, "thing_models")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from check_thing_models import resolve, resolve_ref  # noqa: E402


def profile_default(member):
    """The default of a ProfileOptions string member, as the SDK's header declares it."""
    with open(os.path.join(ROOT, "sdk", "include", "docklink", "iotda", "profile.hpp"), encoding="utf-8") as handle:
        found = re.search(r"std::string %s = \"([^\"]+)\";" % member, handle.read())
    if not found:
        raise AssertionError("profile.hpp declares no default for " + member)
    return found.group(1)


def run(models, out, *extra):
    return subprocess.run([sys.executable, SCRIPT, "--models", models, "--out", out, *extra],
                          capture_output=True, text=True)


def expected_type(spec, types):
    """The IoTDA data type a thing-model type spec must get (docs/iotda-product-model.md's table)."""
    spec = resolve_ref(spec, types, "test")
    kind = spec["type"]
    if kind in ("float", "double"):
        return "decimal"
    if kind == "int" or (kind == "enum" and spec.get("value_type") != "text"):
        low, high = (spec.get("min"), spec.get("max")) if kind == "int" else (
            min(map(int, spec["values"])), max(map(int, spec["values"])))
        bounded = low is not None and high is not None and -2**31 <= low and high < 2**31
        return "int" if bounded else "long"
    if kind == "array":
        element = resolve_ref(spec["element"], types, "test")
        text = element["type"] == "text" or element.get("value_type") == "text"
        return "string list" if text else "jsonObject"
    return {"enum": "string", "bool": "boolean", "text": "string", "struct": "jsonObject"}[kind]


class GeneratedModels(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="docklink-iotda-pm-")
        result = run(MODELS, cls.out)
        if result.returncode != 0:
            raise AssertionError("generator failed: " + result.stderr)
        cls.keys = sorted(n[:-5] for n in os.listdir(MODELS) if re.fullmatch(r"\d+-\d+-\d+\.json", n))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, ignore_errors=True)

    def load(self, key):
        with open(os.path.join(self.out, key + ".json"), encoding="utf-8") as handle:
            return json.load(handle)

    def check_property(self, where, entry, spec, types):
        resolved = resolve_ref(spec, types, where)
        self.assertEqual(expected_type(spec, types), entry["data_type"], where)
        self.assertEqual("RW" if spec.get("access") == "rw" else "R", entry["method"], where)
        for key in ("min", "max"):
            if resolved["type"] in ("int", "float", "double") and key in resolved:
                self.assertEqual(float(resolved[key]), float(entry[key]), where + "." + key)
            elif resolved["type"] != "enum":
                self.assertNotIn(key, entry, where)
        if resolved["type"] == "enum":
            self.assertEqual(sorted(resolved["values"]), sorted(entry["enum_list"]), where)
        if resolved["type"] == "text" and "max_length" in resolved:
            self.assertEqual(resolved["max_length"], entry["max_length"], where)

    def test_every_reported_property_is_in_its_service_with_its_type_and_range(self):
        defaults = {"dock": profile_default("gateway_service"), "aircraft": profile_default("sub_device_service")}
        for key in self.keys:
            model, generated = resolve(MODELS, key + ".json"), self.load(key)
            services = {s["service_id"]: s for s in generated["service_capabilities"]}
            self.assertEqual([defaults[model["kind"]]], list(services), key)
            entries = {p["property_name"]: p for p in services[defaults[model["kind"]]]["properties"]}
            self.assertEqual(sorted(model["properties"]), sorted(entries), key)
            for name, spec in model["properties"].items():
                self.check_property("%s.%s" % (key, name), entries[name], spec, model.get("types", {}))

    def test_every_dock_service_is_a_command_with_its_parameters(self):
        for key in self.keys:
            model, generated = resolve(MODELS, key + ".json"), self.load(key)
            commands = {c["command_name"]: c for s in generated["service_capabilities"] for c in s["commands"]}
            self.assertEqual(sorted(model.get("services", {})), sorted(commands), key)
            types = model.get("types", {})
            for method, service in model.get("services", {}).items():
                params = resolve_ref(service.get("params", {"type": "struct"}), types, method)
                paras = {p["para_name"]: p for p in commands[method]["paras"]}
                self.assertEqual(sorted(params.get("fields", {})), sorted(paras), method)
                for name, para in paras.items():
                    self.assertEqual(name in params.get("required", []), para["required"], method + "." + name)

    def test_limits_of_the_product_api_hold(self):
        for key in self.keys:
            for service in self.load(key)["service_capabilities"]:
                for entry in service["properties"]:
                    self.assertLessEqual(len(entry["property_name"]), 64)
                    self.assertLessEqual(len(entry.get("description", "")), 128)
                    self.assertLessEqual(len(entry.get("unit", "")), 16)
                    for bound in ("min", "max"):
                        self.assertTrue(1 <= len(entry.get(bound, "x")) <= 16, entry)


class MappingAndBrokenInput(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="docklink-iotda-pm-")
        self.models = os.path.join(self.work, "models")
        shutil.copytree(MODELS, self.models)
        self.out = os.path.join(self.work, "out")

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def add_property(self, name, spec):
        path = os.path.join(self.models, "3-2-0.json")
        with open(path, encoding="utf-8") as handle:
            model = json.load(handle)
        model.setdefault("properties", {})[name] = dict(spec, push="state", state_group=name)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(model, handle)

    def test_a_property_services_mapping_moves_the_property_to_that_service(self):
        mapping = os.path.join(self.work, "services.json")
        with open(mapping, "w", encoding="utf-8") as handle:
            json.dump({"cover_state": "dock_cover"}, handle)
        result = run(self.models, self.out, "--services", mapping)
        self.assertEqual(0, result.returncode, result.stderr)
        with open(os.path.join(self.out, "3-2-0.json"), encoding="utf-8") as handle:
            services = {s["service_id"]: s for s in json.load(handle)["service_capabilities"]}
        self.assertEqual(["cover_state"], [p["property_name"] for p in services["dock_cover"]["properties"]])
        self.assertNotIn("cover_state", [p["property_name"] for p in services["dock"]["properties"]])
        self.assertEqual([], services["dock_cover"]["commands"])  # commands stay with the gateway service

    def assert_refused(self, name, spec, reason):
        self.add_property(name, spec)
        result = run(self.models, self.out)
        self.assertEqual(1, result.returncode, result.stdout)
        self.assertIn("3-2-0.json", result.stderr)
        self.assertRegex(result.stderr, reason)

    def test_an_unknown_type_is_refused(self):
        self.assert_refused("mystery", {"type": "blob"}, r"properties\.mystery: type 'blob' has no IoTDA data type")

    def test_a_name_over_64_characters_is_refused(self):
        self.assert_refused("x" * 65, {"type": "int"}, r"not a valid IoTDA name")

    def test_a_bound_longer_than_16_characters_is_refused(self):
        self.assert_refused("huge", {"type": "double", "min": -123456789012345678.5}, r"properties\.huge.*16-character")


if __name__ == "__main__":
    unittest.main(verbosity=2)
