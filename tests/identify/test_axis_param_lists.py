"""Axis parameter lists in every form they are seen (docs/identify.md, "Axis parameter lists"): VAPIX's dotted
`root.Brand.ProdNbr=…`, the same without `root.`, and the `[Brand]` / `ProdNbr = "…"` sections of a saved list or
server report; on any path and as a body. Values are invented or from Kane610/axis's test constants; none is a
corpus value."""

from __future__ import annotations

import pytest

from camscan.model import Observation

SECTIONS = (
    '[Audio]\nDuplexMode               = "half"\n\n\n[Brand]\nBrand                    = "AXIS"\n'
    'ProdFullName             = "AXIS {model} {kind}"\nProdShortName            = "AXIS {model}"\n'
    'ProdNbr                  = "{model}"\nProdType                 = "{kind}"\n\n\n'
    '[Properties.Firmware]\nBuildDate                = "Jun 13 2017 14:38"\nVersion                  = "{fw}"\n'
)
DOTTED = (
    "{root}Brand.Brand=AXIS\n{root}Brand.ProdNbr={model}\n{root}Brand.ProdType={kind}\n"
    "{root}Properties.Firmware.Version={fw}\n"
)


def _path(body: str, path: str = "/axis-cgi/admin/serverreport.cgi") -> list[Observation]:
    return [Observation("http_path", {"path": path, "status": 200, "headers": {}, "body": body})]


def _forms(model: str, kind: str, fw: str) -> list[list[Observation]]:
    return [
        _path(SECTIONS.format(model=model, kind=kind, fw=fw)),
        _path(DOTTED.format(root="root.", model=model, kind=kind, fw=fw), "/cgi/list"),
        _path(DOTTED.format(root="", model=model, kind=kind, fw=fw), "/saved/params.txt"),
        [Observation("http_body", SECTIONS.format(model=model, kind=kind, fw=fw))],
        [Observation("http_body", DOTTED.format(root="", model=model, kind=kind, fw=fw))],
    ]


@pytest.mark.parametrize("form", range(5))
def test_a_camera_reads_maker_model_firmware_and_type_in_every_form(engine, form):
    ident = engine.identify(_forms("M3106-L", "Network Camera", "9.80.3")[form])
    assert (ident.manufacturer, ident.model, ident.firmware) == ("Axis", "M3106-L", "9.80.3")
    assert ident.device_type == "camera" and ident.is_camera


@pytest.mark.parametrize(
    ("model", "kind", "want"),
    [
        ("C1410", "Network Mini Speaker", "speaker"),
        ("C3003-E", "Network Horn Speaker", "speaker"),
        ("A1610", "Network Door Controller", "access_control"),
        ("A8105-E", "Network Video Door Station", "intercom"),
        ("M7104", "Video Encoder", "encoder"),
    ],
)
@pytest.mark.parametrize("form", range(5))
def test_axis_devices_that_are_no_cameras_keep_their_own_kind(engine, model, kind, want, form):
    ident = engine.identify(_forms(model, kind, "10.12.1")[form])
    assert ident.manufacturer == "Axis" and ident.model == model
    # an encoder is camera-side equipment (camscan.model.CAMERA_TYPES), the others are not
    assert ident.device_type == want and ident.is_camera == (want == "encoder")


def test_the_release_file_before_the_parameter_list_gives_the_firmware(engine):
    body = (
        '\nRELEASE="5.60.1.2"\nBUILD="4"\nBUILDTIME="Mar 03 2015 10:12"\n\n---- Parameter list ----\n\n'
        '# Axis Parameter list\n\n[Brand]\nBrand = "AXIS"\nProdNbr = "Q6045"\n'
        'ProdType = "PTZ Dome Network Camera"\n'
    )
    ident = engine.identify(_path(body, "/axis-cgi/admin/paramlist.cgi"))
    assert (ident.model, ident.firmware, ident.device_type) == ("Q6045", "5.60.1.2", "camera")


@pytest.mark.parametrize(
    "body",
    [
        # a release file without the parameter-list marker: any Linux system's
        'RELEASE="5.60.1.2"\nBUILD="4"\n',
        # keys of another group, or another maker's brand
        '[Lens]\nProdNbr = "QL-3"\n[Image]\nBrand = "AXIS"\nProdType = "Network Camera"\n',
        "root.Brand.Brand=QUUX\nroot.Lens.ProdNbr=QL-3\nroot.Image.ProdType=Network Camera\n",
        # a parameter named like one, inside a line
        "<td>root.Brand.ProdType=Network Camera</td>\n",
        "Brand.ProdTypeAlias=Network Camera\n",
    ],
)
def test_look_alikes_read_nothing_and_make_no_camera(engine, body):
    ident = engine.identify(_path(body, "/cfg"))
    assert not ident.is_camera, body
    assert ident.manufacturer is None and ident.model is None and ident.firmware is None, body


def test_the_kind_rule_alone_names_no_maker(engine):
    # another maker's device that copies Axis's parameter names (an OEM): the model and kind, not Axis
    ident = engine.identify(
        _path("Brand.Brand=QUUX\nBrand.ProdNbr=QX-200\nBrand.ProdType=Network Camera\n", "/x")
    )
    assert ident.manufacturer is None and ident.model == "QX-200" and ident.device_type == "camera"
