"""Parameter-list answers (one `key=value` a line) read field by field (docs/vendors.md, "Vendor
device-information APIs"; docs/identify.md, "Identity keys in a device's answers"). Values are invented unless
marked; none is a corpus value."""

from __future__ import annotations

from camscan.model import Observation


def _body(text: str) -> list[Observation]:
    return [Observation("http_body", text)]


def test_vivotek_parameter_list_names_model_firmware_maker_and_type(engine):
    text = "system_hostname='Lobby'\nsystem_info_modelname='FD9171-HT'\nsystem_info_firmwareversion='FD9171-VVTK-0302b'\n"
    ident = engine.identify(_body(text))
    assert (ident.manufacturer, ident.model, ident.firmware) == ("Vivotek", "FD9171-HT", "FD9171-VVTK-0302b")
    assert ident.device_type == "camera" and ident.is_camera


def test_vivotek_recorder_number_is_a_recorder(engine):
    text = "system_info_modelname='ND9541P'\nsystem_info_firmwareversion='ND9541P-VVTK-0110a'\n"
    ident = engine.identify(_body(text))
    assert ident.manufacturer == "Vivotek" and ident.device_type == "nvr"


def test_without_the_vvtk_tag_no_maker_from_the_firmware(engine):
    # A parameter list with another scheme's firmware and a model outside Vivotek's numbering: model only.
    text = "system_info_modelname='QX-100'\nsystem_info_firmwareversion='V1.2.3 build 200101'\n"
    ident = engine.identify(_body(text))
    assert ident.model == "QX-100"
    assert ident.manufacturer is None and not ident.is_camera


def test_look_alike_lines_are_not_read(engine):
    for text in (
        "var system_info_modelname = getModel();\n",  # a script
        "system_info_extendedmodelname='FD9171-HT'\n",  # another parameter
        "<p>system_info_modelname='FD9171-HT'</p>\n",  # not at the start of a line
        "note='FD9171-VVTK-0302b'\n",  # the tag outside the firmware parameter
    ):
        ident = engine.identify(_body(text))
        assert ident.manufacturer is None and ident.model is None, text


def test_generic_key_value_lines_give_a_weak_model_and_no_maker(engine):
    ident = engine.identify(_body("hostname=hall\nmodel_number=QX-88\nfirmware_version=2.1.7\n"))
    assert (ident.model, ident.firmware) == ("QX-88", "2.1.7")
    assert ident.manufacturer is None and ident.device_type is None


def test_generic_key_value_look_alikes(engine):
    for text in (
        "var model = getModel();\n",
        "lens_model=QL-3\n",
        "[ch1]\nmodel=QX-1\n[ch2]\nmodel=QX-2\n",
        "<td>model=QX-1</td>\n",
    ):
        assert engine.identify(_body(text)).model is None, text
