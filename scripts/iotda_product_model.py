#!/usr/bin/env python3
"""Writes the Huawei Cloud IoTDA product model of every thing model in thing_models/ (Python 3 standard library).

One JSON file per product file (thing_models/<model-key>.json -> <out>/<model-key>.json), shaped as the body of
IoTDA's "create a product" API: product fields plus `service_capabilities`, each service with its `properties`
(`property_name`, `data_type`, `required`, `min`/`max` as strings, `enum_list`, `max_length`, `unit`, `method`,
`description`) and, for docks, `commands` (one per DJI service: `command_name` = method, `paras` = the top-level
fields of its parameters, `responses` = the fields of its reply's output). docs/iotda-product-model.md says how each
thing-model type maps and which points IoTDA's documentation leaves open.

Services follow what the SDK's IoTDA profile reports (iotda::ProfileOptions): every top-level property of a dock
goes to the gateway service (default "dock"), of an aircraft to the sub-device service (default "aircraft"),
unless a mapping (--services FILE, JSON object property name -> service id, the profile's `property_services`)
names another service. Commands belong to the gateway service.

Usage: iotda_product_model.py --models DIR --out DIR [--services FILE] [--gateway-service ID]
                              [--sub-device-service ID] [--manufacturer NAME]
Exit status 1 (with the reason on stderr) when a model cannot be expressed as an IoTDA product model.
"""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_thing_models import CheckError, resolve, resolve_ref  # noqa: E402  (shared extends resolution)

# Limits of IoTDA's product API (its field descriptions): names, units, descriptions, list sizes.
MAX_NAME = 64          # service_id, property_name, command_name, para_name
MAX_UNIT = 16
MAX_DESCRIPTION = 128
MAX_RANGE_TEXT = 16    # min and max are strings of 1..16 characters
MAX_PER_SERVICE = 500  # properties (and commands) of one service
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_?'#().,&%@!\-]+$")  # IoTDA also allows Chinese characters; we need none
# Characters a description may hold (IoTDA's list, ASCII part); anything else becomes a space.
DESCRIPTION_DISALLOWED = re.compile(r"[^A-Za-z0-9\s_?'#().,;&%@!\-:/]")
INT32 = (-2**31, 2**31 - 1)


class ModelError(Exception):
    """A thing model that has no faithful IoTDA product model (the message says where and why)."""


def number_text(value, where):
    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    if len(text) > MAX_RANGE_TEXT:
        raise ModelError("%s: %s does not fit IoTDA's %d-character min/max" % (where, text, MAX_RANGE_TEXT))
    return text


def description(spec):
    text = spec.get("desc", "")
    return DESCRIPTION_DISALLOWED.sub(" ", text)[:MAX_DESCRIPTION].strip()


def check_name(name, where):
    if not name or len(name) > MAX_NAME or not NAME_PATTERN.match(name):
        raise ModelError("%s: %r is not a valid IoTDA name (1..%d of letters, digits, _?'#().,&%%@!-)"
                         % (where, name, MAX_NAME))


def int_type(low, high):
    """int when the model bounds the value inside 32 bits, long otherwise (an unbounded int may be a ms time)."""
    if low is not None and high is not None and INT32[0] <= low and high <= INT32[1]:
        return "int"
    return "long"


def enum_fields(spec, where):
    keys = list(spec.get("values", {}))
    if not keys:
        raise ModelError(where + ": enum without values")
    if spec.get("value_type") == "text":
        return {"data_type": "string", "enum_list": keys}
    numbers = sorted(int(key) for key in keys)
    return {"data_type": int_type(numbers[0], numbers[-1]), "min": number_text(numbers[0], where),
            "max": number_text(numbers[-1], where), "enum_list": [str(n) for n in numbers]}


def number_fields(spec, kind, where):
    fields = {"data_type": "decimal" if kind in ("float", "double") else int_type(spec.get("min"), spec.get("max"))}
    for key in ("min", "max"):
        if key in spec:
            fields[key] = number_text(spec[key], where)
    return fields


def array_fields(spec, types, where):
    element = resolve_ref(spec.get("element", {}), types, where)
    if element.get("type") == "text" or (element.get("type") == "enum" and element.get("value_type") == "text"):
        return {"data_type": "string list"}
    return {"data_type": "jsonObject"}  # a JSON array; IoTDA documents no array of numbers or objects


def typed_fields(spec, types, where):
    """data_type and its constraints for one type spec (a property, a command parameter or a response field)."""
    resolved = resolve_ref(spec, types, where)
    kind = resolved.get("type")
    if kind in ("int", "float", "double"):
        fields = number_fields(resolved, kind, where)
    elif kind == "enum":
        fields = enum_fields(resolved, where)
    elif kind == "bool":
        fields = {"data_type": "boolean"}
    elif kind == "text":
        fields = {"data_type": "string"}
        if "max_length" in resolved:
            fields["max_length"] = resolved["max_length"]
    elif kind == "struct":
        fields = {"data_type": "jsonObject"}
    elif kind == "array":
        fields = array_fields(resolved, types, where)
    else:
        raise ModelError("%s: type %r has no IoTDA data type" % (where, kind))
    unit = spec.get("unit", resolved.get("unit"))
    if unit:
        if len(unit) > MAX_UNIT:
            raise ModelError("%s: unit %r is longer than %d characters" % (where, unit, MAX_UNIT))
        fields["unit"] = unit
    text = description(spec) or description(resolved)
    if text:
        fields["description"] = text
    return fields


def property_entry(name, spec, types, where):
    check_name(name, where)
    entry = {"property_name": name, "required": False}
    entry.update(typed_fields(spec, types, where))
    entry["method"] = "RW" if spec.get("access") == "rw" else "R"
    return entry


def para_entries(spec, types, where):
    """The top-level fields of a struct spec as command parameters (none when the spec is absent)."""
    if spec is None:
        return []
    resolved = resolve_ref(spec, types, where)
    if resolved.get("type") != "struct":
        raise ModelError(where + ": parameters that are not a struct have no IoTDA parameter list")
    required = set(resolved.get("required", []))
    paras = []
    for name, field in resolved.get("fields", {}).items():
        check_name(name, "%s.%s" % (where, name))
        para = {"para_name": name, "required": name in required}
        para.update(typed_fields(field, types, "%s.%s" % (where, name)))
        paras.append(para)
    return paras


def command_entry(method, service, types):
    where = "services." + method
    check_name(method, where)
    command = {"command_name": method, "paras": para_entries(service.get("params"), types, where + ".params")}
    reply = para_entries(service.get("reply"), types, where + ".reply")
    command["responses"] = [{"response_name": method + "_reply", "paras": reply}]
    return command


def service_ids(model, options):
    """Service id of each top-level property, as the profile reports it."""
    fallback = options.gateway_service if model["kind"] == "dock" else options.sub_device_service
    return {name: options.services.get(name, fallback) for name in model.get("properties", {})}


def product_model(key, model, options):
    types = model.get("types", {})
    by_service = {}
    for name, service_id in service_ids(model, options).items():
        check_name(service_id, "service of " + name)
        spec = model["properties"][name]
        by_service.setdefault(service_id, []).append(property_entry(name, spec, types, "properties." + name))
    commands = [command_entry(method, service, types) for method, service in model.get("services", {}).items()]
    if commands:
        by_service.setdefault(options.gateway_service, [])
    capabilities = []
    for service_id, properties in by_service.items():
        service = {"service_id": service_id, "service_type": service_id, "option": "Optional",
                   "properties": properties, "commands": commands if service_id == options.gateway_service else []}
        for section in ("properties", "commands"):
            if len(service[section]) > MAX_PER_SERVICE:
                raise ModelError("%s: service %s has %d %s, over IoTDA's %d" % (key, service_id, len(service[section]),
                                                                                section, MAX_PER_SERVICE))
        capabilities.append(service)
    return {"name": model.get("product", key), "device_type": "Dock" if model["kind"] == "dock" else "Aircraft",
            "protocol_type": "MQTT", "data_format": "json", "manufacturer_name": options.manufacturer,
            "description": "DockLink thing model %s (thing_version %s)" % (key, model.get("thing_version", "-")),
            "service_capabilities": capabilities}


def product_files(models_dir):
    return sorted(name for name in os.listdir(models_dir)
                  if re.fullmatch(r"\d+-\d+-\d+\.json", name) and os.path.isfile(os.path.join(models_dir, name)))


def generate(models_dir, out_dir, options):
    """Writes one product model per product file; the written paths."""
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for name in product_files(models_dir):
        key = name[:-len(".json")]
        try:
            model = product_model(key, resolve(models_dir, name), options)
        except (CheckError, ModelError, KeyError, ValueError) as error:
            raise ModelError("%s: %s" % (name, error))
        path = os.path.join(out_dir, name)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(model, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
        written.append(path)
    if not written:
        raise ModelError("no product files (<domain>-<type>-<subtype>.json) in " + models_dir)
    return written


def parse_options(argv):
    parser = argparse.ArgumentParser(description="IoTDA product models from DockLink thing models")
    parser.add_argument("--models", required=True, help="thing_models directory")
    parser.add_argument("--out", required=True, help="directory for <model-key>.json")
    parser.add_argument("--services", dest="services_path", help="JSON object: property name -> service id (ProfileOptions::property_services)")
    parser.add_argument("--gateway-service", default="dock", help="service of dock properties (default dock)")
    parser.add_argument("--sub-device-service", default="aircraft", help="service of aircraft properties")
    parser.add_argument("--manufacturer", default="DJI", help="manufacturer_name (default DJI)")
    return parser.parse_args(argv)


def load_services(path):
    with open(path, encoding="utf-8") as handle:
        mapping = json.load(handle)
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise ModelError(path + ": --services must be a JSON object of property name -> service id")
    return mapping


def main(argv):
    options = parse_options(argv)
    try:
        options.services = load_services(options.services_path) if options.services_path else {}
        written = generate(options.models, options.out, options)
    except (ModelError, OSError, json.JSONDecodeError) as error:
        print("iotda_product_model: %s" % error, file=sys.stderr)
        return 1
    print("iotda_product_model: wrote %d product models to %s" % (len(written), options.out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
