#!/usr/bin/env python3
"""Checks the thing models in thing_models/ (Python 3 and Debian's python3-jsonschema).

For every product file (thing_models/<model-key>.json) it
  1. resolves `extends` with the merge rules of thing_models/FORMAT.md,
  2. validates every file, raw and resolved, against thing_models/thing_model.schema.json (JSON Schema draft
     2020-12, with python3-jsonschema's Draft202012Validator),
  3. checks what a schema cannot say (refs resolve, enum keys, required fields exist, push/group rules, jobs have
     a progress event),
  4. checks that the services, events, requests, properties and DRC methods listed for the product in
     docs/protocol.md (its availability tables, from DJI's Cloud API documentation) are present, and that members it
     marks as unavailable for the product are absent.

Usage: check_thing_models.py [THING_MODELS_DIR]. Exit status 0 when everything passes.
"""

import json
import os
import re
import sys

MAX_EXTENDS_DEPTH = 8
MEMBER_SECTIONS = ("types", "properties", "services", "events", "requests", "drc_down", "drc_up")
SCALAR_KEYS = ("format_version", "model_key", "product", "kind", "thing_version", "osd_groups", "note",
               "drc_heartbeat_timeout_s")
PRODUCTS = ("3-1-0", "3-2-0", "3-3-0", "0-67-0", "0-67-1", "0-91-0", "0-91-1", "0-100-0", "0-100-1")
DOCK_OF = {"3-1-0": 1, "3-2-0": 2, "3-3-0": 3}
AIRCRAFT_FAMILY = {"0-67-0": "M30", "0-67-1": "M30", "0-91-0": "M3D", "0-91-1": "M3D", "0-100-0": "M4D",
                   "0-100-1": "M4D"}


def words(text):
    return text.split()


# --- Expected names, from docs/protocol.md#services, #events, #requests (by dock: 1/2/3 = Dock 1/2/3). ---

DOCK_SERVICES = {
    "123": words("""
        debug_mode_open debug_mode_close supplement_light_open supplement_light_close device_reboot drone_open
        drone_close drone_format device_format cover_open cover_close cover_force_close charge_open charge_close
        battery_maintenance_switch alarm_state_switch battery_store_mode_switch air_conditioner_mode_switch
        sdr_workmode_switch
        flighttask_create flighttask_prepare flighttask_execute flighttask_undo flighttask_pause flighttask_recovery
        return_home return_home_cancel upload_flighttask_media_prioritize
        flight_authority_grab payload_authority_grab drc_mode_enter drc_mode_exit takeoff_to_point fly_to_point
        fly_to_point_update fly_to_point_stop camera_mode_switch camera_photo_take camera_photo_stop
        camera_recording_start camera_recording_stop camera_screen_drag camera_aim camera_focal_length_set
        gimbal_reset camera_look_at camera_screen_split photo_storage_set video_storage_set camera_exposure_mode_set
        camera_exposure_set camera_focus_mode_set camera_focus_value_set camera_point_focus_action
        ir_metering_mode_set ir_metering_point_set ir_metering_area_set
        live_start_push live_stop_push live_set_quality live_lens_change
        ota_create fileupload_list fileupload_start fileupload_update
        flight_areas_update unlock_license_switch unlock_license_update unlock_license_list
        custom_data_transmission_to_esdk custom_data_transmission_to_psdk psdk_widget_value_set
        psdk_input_box_text_set speaker_tts_play_start speaker_audio_play_start speaker_replay speaker_play_stop
        speaker_play_volume_set speaker_play_mode_set"""),
    "1": words("putter_open putter_close flight_setup_abort poi_mode_enter poi_mode_exit poi_circle_speed_set"),
    "23": words("""esim_activate sim_slot_switch esim_operator_switch flighttask_stop return_specific_home
        in_flight_wayline_deliver in_flight_wayline_stop in_flight_wayline_recover in_flight_wayline_cancel
        camera_frame_zoom live_camera_change"""),
    "3": words("rtk_calibration"),
}

DOCK_EVENTS = {
    "123": words("""
        device_reboot drone_open drone_close drone_format device_format cover_open cover_close cover_force_close
        charge_open charge_close flighttask_progress flighttask_ready return_home_info device_exit_homing_notify
        ota_progress fileupload_progress file_upload_callback highest_priority_upload_flighttask_media hms
        fly_to_point_progress takeoff_to_point_progress drc_status_notify joystick_invalid_notify
        camera_photo_take_progress airsense_warning flight_areas_sync_progress flight_areas_drone_location
        custom_data_transmission_from_esdk custom_data_transmission_from_psdk psdk_floating_window_text
        psdk_ui_resource_upload_result speaker_tts_play_start_progress speaker_audio_play_start_progress"""),
    "1": words("putter_open putter_close flight_setup_exception_notify poi_status_notify"),
    "23": words("esim_activate esim_operator_switch in_flight_wayline_progress"),
    "3": words("rtk_calibration obstacle_avoidance_notify"),
}

DOCK_REQUESTS = {
    "123": words("""config airport_bind_status airport_organization_get airport_organization_bind storage_config_get
        flighttask_resource_get flight_areas_get"""),
    "23": words("flighttask_progress_get"),
}

# docs/protocol.md#drc-messages (docks column): drc/down commands and drc/up pushes. Replies to commands are
# modelled with the command.
DOCK_DRC_DOWN = {
    "123": words("heart_beat drone_control drone_emergency_stop"),
    "23": words("stick_control drc_emergency_landing drc_force_landing drc_initial_state_subscribe"),
}
DOCK_DRC_UP = {
    "123": words("osd_info_push hsi_info_push delay_info_push"),
    "23": words("drc_drone_state_push"),
}
# docs/protocol.md#drc-heartbeat: a dock leaves DRC after this long without heart_beat.
DRC_HEARTBEAT_TIMEOUT_S = {1: 300, 2: 60, 3: 60}

# docs/protocol.md#dock-properties (docks column) and docs/protocol.md#property-set (writable dock properties).
DOCK_PROPERTIES = {
    "123": words("""
        mode_code flighttask_step_code cover_state drone_in_dock drone_charge_state sub_device supplement_light_state
        emergency_stop_state alarm_state battery_store_mode air_conditioner network_state wireless_link
        position_state latitude longitude height alternate_land_point rainfall wind_speed environment_temperature
        temperature humidity storage working_voltage working_current backup_battery drone_battery_maintenance_info
        maintain_status media_file_detail job_number acc_time activation_time first_power_on drc_state
        firmware_version firmware_upgrade_status compatible_status live_capacity live_status silent_mode
        user_experience_improvement"""),
    "1": words("putter_state electric_supply_voltage wpmz_version drone_authority_info"),
    "23": words("heading home_position_is_valid rtcm_info wireless_link_topo dongle_infos air_transfer_enable"),
    "3": words("self_converge_coordinate"),
}
DOCK_WRITABLE = {"123": words("silent_mode user_experience_improvement"), "23": words("air_transfer_enable")}

# docs/protocol.md#aircraft-properties (by family: M30 / M3D / M4D) and #property-set (writable ones).
AIRCRAFT_PROPERTIES = {
    "M30 M3D M4D": words("""
        mode_code mode_code_reason latitude longitude height elevation attitude_head attitude_pitch attitude_roll
        horizontal_speed vertical_speed home_distance home_latitude home_longitude wind_speed wind_direction gear
        battery position_state storage total_flight_distance total_flight_time total_flight_sorties activation_time
        track_id is_near_area_limit is_near_height_limit height_limit night_lights_state obstacle_avoidance
        distance_limit_status rth_altitude commander_flight_height commander_mode_lost_action control_source
        low_battery_warning_threshold serious_low_battery_warning_threshold firmware_version
        firmware_upgrade_status compatible_status maintain_status cameras psdk_ui_resource psdk_widget_values
        current_rth_mode current_commander_flight_mode"""),
    "M30": words("rc_lost_action exit_wayline_when_rc_lost wpmz_version payloads country rid_state"),
    "M3D M4D": words("""rth_mode commander_flight_mode offline_map_enable flysafe_database_version best_link_gateway
        wireless_link_topo dongle_infos camera_watermark_settings remaining_power_for_return_home"""),
}
AIRCRAFT_WRITABLE = {
    "M30 M3D M4D": words("""height_limit night_lights_state obstacle_avoidance distance_limit_status rth_altitude
        commander_flight_height commander_mode_lost_action"""),
    "M30": words("rc_lost_action exit_wayline_when_rc_lost"),
    "M3D M4D": words("commander_flight_mode camera_watermark_settings remaining_power_for_return_home"),
}
# docs/protocol.md#payload-index: the camera payload index of each aircraft (a property named after it).
PAYLOAD_OF = {"0-67-0": "52-0-0", "0-67-1": "53-0-0", "0-91-0": "80-0-0", "0-91-1": "81-0-0", "0-100-0": "98-0-0",
              "0-100-1": "99-0-0"}
THERMAL_WRITABLE = words("""thermal_current_palette_style thermal_gain_mode thermal_isotherm_state
    thermal_isotherm_upper_limit thermal_isotherm_lower_limit""")


class CheckError(Exception):
    """A problem with one model file."""


# --- extends resolution (FORMAT.md "extends and merge rules") ---

def deep_merge(base, patch):
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            out[key] = deep_merge(base[key], value) if key in base else value
        return out
    return patch


def load_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def resolve(root_dir, relative_path, chain=()):
    if relative_path in chain:
        raise CheckError("extends cycle: " + " -> ".join(chain + (relative_path,)))
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise CheckError("extends deeper than %d levels at %s" % (MAX_EXTENDS_DEPTH, relative_path))
    path = os.path.join(root_dir, relative_path)
    if not os.path.isfile(path):
        raise CheckError("missing file %s (named by %s)" % (relative_path, chain[-1] if chain else "caller"))
    raw = load_json(path)
    if "extends" not in raw:
        result = {k: v for k, v in raw.items() if k != "remove"}
        if "remove" in raw:
            raise CheckError("%s: remove without extends" % relative_path)
        for section in MEMBER_SECTIONS:
            for name, member in result.get(section, {}).items():
                if isinstance(member, dict) and member.get("merge"):
                    raise CheckError("%s: %s.%s has merge but there is no base" % (relative_path, section, name))
        return result
    base = resolve(root_dir, raw["extends"], chain + (relative_path,))
    result = dict(base)
    for key in SCALAR_KEYS:
        if key in raw:
            result[key] = raw[key]
    for section in MEMBER_SECTIONS:
        members = dict(base.get(section, {}))
        for name in raw.get("remove", {}).get(section, []):
            if name not in members:
                raise CheckError("%s: remove.%s names %s, which the base does not have" % (relative_path, section, name))
            del members[name]
        for name, member in raw.get(section, {}).items():
            if isinstance(member, dict) and member.get("merge"):
                if name not in members:
                    raise CheckError("%s: %s.%s has merge but the base has no such member" % (relative_path, section,
                                                                                            name))
                patch = {k: v for k, v in member.items() if k != "merge"}
                members[name] = deep_merge(members[name], patch)
            else:
                members[name] = member
        if members or section in raw or section in base:
            result[section] = members
    return result


# --- JSON Schema validation (Debian's python3-jsonschema) ---

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_validator(schema):
    """A draft 2020-12 validator for the thing-model schema, after checking the schema itself."""
    try:
        # Imported here: thing_codegen.py imports this module at build time and needs no validator.
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import SchemaError
    except ImportError:
        raise CheckError("python3-jsonschema is missing (scripts/install-deps.sh installs it)")
    if schema.get("$schema") != SCHEMA_DIALECT:
        raise CheckError("$schema must be %s, the draft Draft202012Validator implements" % SCHEMA_DIALECT)
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        raise CheckError("not a valid draft 2020-12 schema: " + error.message)
    return Draft202012Validator(schema)


def schema_errors(value, validator, where):
    """One message per violation, naming the member as where.path[index]."""
    for error in sorted(validator.iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path]):
        path = "".join("[%d]" % p if isinstance(p, int) else "." + str(p) for p in error.absolute_path)
        yield "%s%s: %s" % (where, path, error.message)


# --- semantic checks ---

NUMBER_TYPES = ("int", "float", "double")
KEYS_BY_TYPE = {"min": NUMBER_TYPES, "max": NUMBER_TYPES, "values": ("enum",), "value_type": ("enum",),
                "max_length": ("text",), "fields": ("struct",), "required": ("struct",), "closed": ("struct",),
                "element": ("array",), "max_items": ("array",), "wire": ("bool",)}
PROPERTY_KEYS = ("push", "osd_group", "state_group")


def resolve_ref(spec, types, where, depth=0):
    if "ref" not in spec:
        return spec
    if depth > 8:
        raise CheckError(where + ": ref chain too deep")
    if spec["ref"] not in types:
        raise CheckError("%s: ref %s is not a type" % (where, spec["ref"]))
    return resolve_ref(types[spec["ref"]], types, where, depth + 1)


def check_spec(spec, types, where, errors, allow_property_keys=False):
    if ("type" in spec) == ("ref" in spec):
        errors.append(where + ": needs exactly one of type and ref")
        return
    if not allow_property_keys:
        for key in PROPERTY_KEYS:
            if key in spec:
                errors.append("%s: %s belongs on properties only" % (where, key))
    if "ref" in spec:
        for key in KEYS_BY_TYPE:
            if key in spec:
                errors.append("%s: %s next to ref" % (where, key))
        try:
            resolve_ref(spec, types, where)
        except CheckError as error:
            errors.append(str(error))
        return
    kind = spec["type"]
    for key, kinds in KEYS_BY_TYPE.items():
        if key in spec and kind not in kinds:
            errors.append("%s: %s does not apply to type %s" % (where, key, kind))
    if "min" in spec and "max" in spec and spec["min"] > spec["max"]:
        errors.append(where + ": min above max")
    if kind == "enum":
        if not spec.get("values"):
            errors.append(where + ": enum without values")
        elif spec.get("value_type", "int") == "int":
            for key in spec["values"]:
                if not re.fullmatch(r"-?[0-9]+", key):
                    errors.append("%s: int enum key %r is not an integer" % (where, key))
    if kind == "struct":
        fields = spec.get("fields")
        if fields is None:
            errors.append(where + ": struct without fields")
            fields = {}
        for name in spec.get("required", []):
            if name not in fields:
                errors.append("%s: required field %s is not declared" % (where, name))
        for name, field in fields.items():
            check_spec(field, types, where + "." + name, errors)
    if kind == "array":
        if "element" not in spec:
            errors.append(where + ": array without element")
        else:
            check_spec(spec["element"], types, where + "[]", errors)


def check_semantics(key, model, errors):
    types = model.get("types", {})
    kind = model.get("kind")
    for required in ("model_key", "product", "kind", "thing_version", "osd_groups"):
        if required not in model:
            errors.append("%s: resolved model lacks %s" % (key, required))
    if model.get("model_key") != key:
        errors.append("%s: model_key %r does not match the file name" % (key, model.get("model_key")))
    for name, spec in types.items():
        check_spec(spec, types, "%s types.%s" % (key, name), errors)
    groups = model.get("osd_groups", 1)
    for name, prop in model.get("properties", {}).items():
        where = "%s properties.%s" % (key, name)
        check_spec(prop, types, where, errors, allow_property_keys=True)
        push = prop.get("push")
        if push not in ("osd", "state"):
            errors.append(where + ": push must be osd or state")
        if push == "state" and "state_group" not in prop:
            errors.append(where + ": state property without state_group")
        if push == "osd" and "state_group" in prop:
            errors.append(where + ": state_group on an osd property")
        if push == "state" and "osd_group" in prop:
            errors.append(where + ": osd_group on a state property")
        if push == "osd" and kind == "dock" and "osd_group" not in prop:
            errors.append(where + ": dock osd property without osd_group")
        if prop.get("osd_group", 0) >= groups:
            errors.append("%s: osd_group %d but the model has %d OSD groups" % (where, prop["osd_group"], groups))
    if kind == "aircraft":
        for section in ("services", "events", "requests"):
            if model.get(section):
                errors.append("%s: aircraft models have no %s (they go through the dock)" % (key, section))
    events = model.get("events", {})
    for method, service in model.get("services", {}).items():
        where = "%s services.%s" % (key, method)
        if service.get("kind") not in ("cmd", "job"):
            errors.append(where + ": kind must be cmd or job")
        for part in ("params", "reply"):
            if part in service:
                check_spec(service[part], types, where + "." + part, errors)
                if part == "params":
                    try:
                        if resolve_ref(service[part], types, where).get("type") != "struct":
                            errors.append(where + ": params must be a struct")
                    except CheckError as error:
                        errors.append(str(error))
        if service.get("kind") == "job":
            progress = service.get("progress_event", method)
            if progress not in events:
                errors.append("%s: job without its progress event %s" % (where, progress))
        elif "step_keys" in service:
            errors.append(where + ": step_keys on a cmd")
    for method, event in events.items():
        where = "%s events.%s" % (key, method)
        if "need_reply" not in event or "data" not in event:
            errors.append(where + ": needs need_reply and data")
        else:
            check_spec(event["data"], types, where + ".data", errors)
    for method, request in model.get("requests", {}).items():
        where = "%s requests.%s" % (key, method)
        for part in ("params", "reply"):
            if part not in request:
                errors.append("%s: needs %s" % (where, part))
            else:
                check_spec(request[part], types, "%s.%s" % (where, part), errors)


def check_drc_semantics(key, model, errors):
    types = model.get("types", {})
    if model.get("kind") == "aircraft":
        for section in ("drc_down", "drc_up"):
            if model.get(section):
                errors.append("%s: aircraft models have no %s (DRC goes through the dock)" % (key, section))
    for section in ("drc_down", "drc_up"):
        for method, drc in model.get(section, {}).items():
            where = "%s %s.%s" % (key, section, method)
            if section == "drc_up" and "reply" in drc:
                errors.append(where + ": pushes have no reply")
            for part in ("data", "reply"):
                if part not in drc:
                    continue
                check_spec(drc[part], types, "%s.%s" % (where, part), errors)
                try:
                    if resolve_ref(drc[part], types, where).get("type") != "struct":
                        errors.append("%s: %s must be a struct" % (where, part))
                except CheckError as error:
                    errors.append(str(error))


def expected_for(table, column):
    names = set()
    for columns, members in table.items():
        # Dock tables are keyed by availability digits ("123"), aircraft tables by family names.
        if (column in columns) if columns.isdigit() else (column in columns.split()):
            names.update(members)
    return names


def all_listed(table):
    return {name for members in table.values() for name in members}


def check_coverage(key, model, errors):
    def compare(section, table, column):
        have = set(model.get(section, {}))
        want = expected_for(table, column)
        for name in sorted(want - have):
            errors.append("%s: %s.%s is listed in docs/protocol.md but missing" % (key, section, name))
        for name in sorted((all_listed(table) - want) & have):
            errors.append("%s: %s.%s is not available on this product per docs/protocol.md" % (key, section, name))

    def writable(table, column):
        props = model.get("properties", {})
        for name in sorted(expected_for(table, column)):
            if name in props and props[name].get("access") != "rw":
                errors.append("%s: properties.%s must be rw (docs/protocol.md#property-set)" % (key, name))

    if key in DOCK_OF:
        column = str(DOCK_OF[key])
        compare("services", DOCK_SERVICES, column)
        compare("events", DOCK_EVENTS, column)
        compare("requests", DOCK_REQUESTS, column)
        compare("properties", DOCK_PROPERTIES, column)
        compare("drc_down", DOCK_DRC_DOWN, column)
        compare("drc_up", DOCK_DRC_UP, column)
        writable(DOCK_WRITABLE, column)
        if model.get("drc_heartbeat_timeout_s") != DRC_HEARTBEAT_TIMEOUT_S[DOCK_OF[key]]:
            errors.append("%s: drc_heartbeat_timeout_s must be %d (docs/protocol.md#drc-heartbeat)"
                          % (key, DRC_HEARTBEAT_TIMEOUT_S[DOCK_OF[key]]))
    else:
        family = AIRCRAFT_FAMILY[key]
        compare("properties", AIRCRAFT_PROPERTIES, family)
        writable(AIRCRAFT_WRITABLE, family)
        payload = PAYLOAD_OF[key]
        props = model.get("properties", {})
        if payload not in props:
            errors.append("%s: camera payload property %s missing" % (key, payload))
        else:
            payload_type = resolve_ref(props[payload], model.get("types", {}), key)
            thermal = key.endswith("-1")
            for name in THERMAL_WRITABLE:
                field = payload_type.get("fields", {}).get(name)
                if thermal and (field is None or field.get("access") != "rw"):
                    errors.append("%s: %s.%s must exist and be rw (docs/protocol.md#property-set)"
                                  % (key, payload, name))
                if not thermal and field is not None:
                    errors.append("%s: %s.%s on a non-thermal camera" % (key, payload, name))
        for other in set(PAYLOAD_OF.values()) - {payload}:
            if other in props:
                errors.append("%s: foreign camera payload %s" % (key, other))


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                                      "thing_models")
    try:
        validator = schema_validator(load_json(os.path.join(root, "thing_model.schema.json")))
    except (ValueError, CheckError) as error:
        print("ERROR: thing_model.schema.json: %s" % error)
        return 1
    errors = []
    files = []
    for directory, _, names in os.walk(root):
        for name in names:
            if name.endswith(".json") and name != "thing_model.schema.json":
                files.append(os.path.relpath(os.path.join(directory, name), root))
    for relative in sorted(files):
        try:
            errors.extend(schema_errors(load_json(os.path.join(root, relative)), validator, relative))
        except (ValueError, CheckError) as error:
            errors.append("%s: %s" % (relative, error))
    for key in PRODUCTS:
        if key + ".json" not in files:
            errors.append("missing product model %s.json" % key)
            continue
        try:
            model = resolve(root, key + ".json")
        except (ValueError, CheckError) as error:
            errors.append("%s: %s" % (key, error))
            continue
        errors.extend(schema_errors(model, validator, key + " (resolved)"))
        for leftover in ("extends", "remove"):
            if leftover in model:
                errors.append("%s: resolved model still has %s" % (key, leftover))
        check_semantics(key, model, errors)
        check_drc_semantics(key, model, errors)
        check_coverage(key, model, errors)
        print("%-8s %-12s props=%-3d services=%-3d events=%-3d requests=%-2d drc=%d/%d" % (
            key, model.get("product", "?"), len(model.get("properties", {})), len(model.get("services", {})),
            len(model.get("events", {})), len(model.get("requests", {})), len(model.get("drc_down", {})),
            len(model.get("drc_up", {}))))
    for error in errors:
        print("ERROR: " + error)
    print("%d file(s), %d product model(s), %d error(s)" % (len(files), len(PRODUCTS), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
