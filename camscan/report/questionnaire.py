"""`camscan export questionnaire`: the counts a commissioner's survey asks for, from the inventory.

Shaped by the UK Commissioner's 2022 police and local-authority surveys (shared/reference/concerns/
questionnaire.md): which manufacturers (after OEM resolution, with the brands sold under them), which models and
firmware, which device types, which sites; how many devices have no known manufacturer (counted and listed,
never dropped); which concerns apply, with authority, date and source; and the FAR 52.204-25(d)(2)(i)
reporting fields (supplier, brand, model number, item description) per device.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Literal

from camscan.model import UNKNOWN
from camscan.report import queries as q
from camscan.report.recorders import behind_counts, camera_text, recorder_views
from camscan.report.tables import Column, Document, Table, to_csv, to_json, to_markdown, write_xlsx

Format = Literal["csv", "xlsx", "json", "md"]
FORMATS: tuple[str, ...] = ("csv", "xlsx", "json", "md")
SCHEMA = "camscan.questionnaire/1"
TITLE = "CCTV estate: manufacturer questionnaire"
TABLE_NAMES = (
    "summary",
    "answers",
    "manufacturers",
    "models",
    "device_types",
    "sites",
    "unknown_manufacturer",
    "recorders",
    "concerns",
    "risk",
    "devices",
    "scans",
)
SOURCES = (
    "Police survey 2022 (Biometrics and Surveillance Camera Commissioner), "
    "https://www.gov.uk/government/publications/police-survey-2022-responses-and-key-findings; "
    "Local authority survey 2022, "
    "https://gov.uk/government/publications/local-authority-survey-2022-responses-and-key-findings; "
    "FAR 52.204-25(d)(2)(i), https://www.acquisition.gov/far/52.204-25"
)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _summary(e: q.Estate, t: q.Totals) -> Table:
    rows = [
        ("devices", "Devices in scope", t.devices, None),
        ("cameras", "Video surveillance devices (camera, NVR, DVR, encoder)", t.cameras, q.pct(t.cameras, t.devices)),
        *_behind_rows(e, t),
        ("manufacturers", "Distinct known manufacturers", t.manufacturers, None),
        ("unknown_manufacturer", "Devices whose manufacturer is unknown", t.unknown_manufacturer,
         q.pct(t.unknown_manufacturer, t.devices)),
        ("unidentified_cameras", "Unidentified cameras (camera-like, manufacturer unknown)", t.unidentified_cameras,
         q.pct(t.unidentified_cameras, t.devices)),
        ("of_concern", "Devices of a manufacturer or brand with a recorded concern", t.of_concern,
         q.pct(t.of_concern, t.devices)),
        ("cameras_of_concern", "Surveillance devices with a recorded concern (% of surveillance devices)",
         t.cameras_of_concern, q.pct(t.cameras_of_concern, t.cameras)),
        ("sites", "Sites", t.sites, None),
        ("scans", "Scans and imports behind these numbers", len(e.scans), None),
    ]  # fmt: skip
    return Table(
        "summary",
        "Summary",
        f"Totals for {e.scope_text}; percentages are of all devices in scope unless stated.",
        [Column("id", "measure id"), Column("measure", "measure"), Column("value", "value", "int"),
         Column("pct", "% of estate", "pct")],
        [{"id": i, "measure": m, "value": v, "pct": p} for i, m, v, p in rows],
    )  # fmt: skip


def _answers(e: q.Estate, t: q.Totals, makers: list[q.MakerCount]) -> Table:
    known = [m for m in makers if m.manufacturer != UNKNOWN]
    foreign = [m for m in known if m.country and m.country not in ("GB", "UK")]
    cams_foreign = sum(m.cameras for m in foreign)
    concern_makers = [m for m in known if m.concerns]
    cams_concern = t.cameras_of_concern
    by_type = ", ".join(f"{k}: {n}" for k, n, _ in q.count_by(e, "device_type"))
    rows = [
        (
            "Are any of your surveillance cameras manufactured outside the UK? Which manufacturers?",
            (f"{cams_foreign} of {_n(t.cameras, 'surveillance device')} are made by companies headquartered "
             f"outside the UK: " + ", ".join(f"{m.manufacturer} ({m.country}) {m.cameras}" for m in foreign
                                             if m.cameras)) if cams_foreign else
            f"None of the {_n(t.cameras, 'surveillance device')} with a known manufacturer is made by a company "
            "headquartered outside the UK.",
            "manufacturers",
        ),
        (
            "Does your estate use equipment from companies about which there have been security or ethical "
            "concerns?",
            (f"Yes: {cams_concern} of {_n(t.cameras, 'surveillance device')} ({q.pct(cams_concern, t.cameras)}%), "
             f"{_n(t.of_concern, 'device')} in all, made or sold by "
             + ", ".join(m.manufacturer for m in concern_makers) + ".") if t.of_concern else
            "No device in scope has a manufacturer or brand with a recorded concern.",
            "concerns",
        ),
        (
            "Who manufactured your CCTV cameras? (\"don't know\" was a common answer)",
            f"{_n(t.unknown_manufacturer, 'device')} ({q.pct(t.unknown_manufacturer, t.devices)}%) could not be "
            f"attributed to a manufacturer, {t.unidentified_cameras} of them camera-like (unidentified cameras). "
            "All are listed.",
            "unknown_manufacturer",
        ),
        ("Which system types do you operate? (counts per type)", by_type, "device_types"),
        _behind_answer(e, t),
        (
            "Which models and firmware versions are deployed?",
            f"{len({(m.manufacturer, m.model) for m in q.by_model(e)})} manufacturer/model combinations; "
            "see the models table for firmware per model.",
            "models",
        ),
        (
            "What due diligence have you undertaken on suppliers?",
            "A network inventory cannot answer this: record your own due diligence beside this export. The "
            "devices table gives the FAR 52.204-25 supplier, brand, model and description fields to start from.",
            "devices",
        ),
    ]  # fmt: skip
    return Table(
        "answers",
        "Survey questions and what the inventory says",
        "Question topics reconstructed from the Commissioner's published 2022 findings (not the verbatim "
        "wording), each answered from the tables of this export.",
        [Column("question", "question topic", width=60), Column("answer", "answer from the inventory", width=90),
         Column("table", "details in")],
        [{"question": qu, "answer": a, "table": tb} for qu, a, tb in rows],
    )  # fmt: skip


def _manufacturers(makers: list[q.MakerCount]) -> Table:
    return Table(
        "manufacturers",
        "Devices by manufacturer",
        "Manufacturer after OEM resolution (who made it), with the brands the devices were sold under. "
        "Devices with no known manufacturer are counted as (unknown).",
        [Column("manufacturer", "manufacturer"), Column("legal_name", "legal name"),
         Column("country", "country (HQ)"), Column("devices", "devices", "int"),
         Column("devices_pct", "% of devices", "pct"), Column("cameras", "surveillance devices", "int"),
         Column("cameras_pct", "% of surveillance devices", "pct"), Column("brands", "brands sold under"),
         Column("models", "models", "int"), Column("concern_count", "concerns", "int"),
         Column("concerns", "concern ids", width=60)],
        [{"manufacturer": m.manufacturer, "legal_name": m.legal_name, "country": m.country, "devices": m.devices,
          "devices_pct": m.devices_pct, "cameras": m.cameras, "cameras_pct": m.cameras_pct, "brands": m.brands,
          "models": m.models, "concern_count": len(m.concerns), "concerns": m.concerns} for m in makers],
    )  # fmt: skip


def _models(e: q.Estate) -> Table:
    return Table(
        "models",
        "Devices by model and firmware",
        "One row per manufacturer, model, firmware version and device type.",
        [Column("manufacturer", "manufacturer"), Column("brands", "brands"), Column("model", "model"),
         Column("firmware", "firmware"), Column("device_type", "device type"), Column("devices", "devices", "int")],
        [{"manufacturer": m.manufacturer, "brands": m.brands, "model": m.model, "firmware": m.firmware,
          "device_type": m.device_type, "devices": m.devices} for m in q.by_model(e)],
    )  # fmt: skip


def _types(e: q.Estate) -> Table:
    cams = Counter(d.device_type or UNKNOWN for d in e.devices if d.is_camera)
    return Table(
        "device_types",
        "Devices by type",
        "camera, nvr, dvr and encoder are video surveillance devices.",
        [Column("device_type", "device type"), Column("surveillance", "video surveillance"),
         Column("devices", "devices", "int"), Column("pct", "% of devices", "pct")],
        [{"device_type": k, "surveillance": k in cams, "devices": n, "pct": p} for k, n, p in q.count_by(e, "device_type")],
    )  # fmt: skip


def _sites(e: q.Estate) -> Table:
    return Table(
        "sites",
        "Devices by site",
        "Sites as given to the scans (--site); (none) when no site was given.",
        [Column("site", "site"), Column("devices", "devices", "int"), Column("pct", "% of devices", "pct"),
         Column("cameras", "surveillance devices", "int"), Column("of_concern", "with concerns", "int"),
         Column("unknown_manufacturer", "manufacturer unknown", "int")],
        [{"site": s.site, "devices": s.devices, "pct": s.devices_pct, "cameras": s.cameras,
          "of_concern": s.of_concern, "unknown_manufacturer": s.unknown_manufacturer} for s in q.by_site(e)],
    )  # fmt: skip


def _unknown(e: q.Estate) -> Table:
    return Table(
        "unknown_manufacturer",
        "Devices whose manufacturer is unknown",
        "Counted in every total above as (unknown). 'unidentified camera' marks the camera-like ones that "
        "`camscan check --fail-on unknown` reports.",
        [Column("ip", "IP address"), Column("mac", "MAC address"), Column("site", "site"), Column("brand", "brand"),
         Column("model", "model"), Column("firmware", "firmware"), Column("device_type", "device type"),
         Column("unidentified_camera", "unidentified camera"), Column("reason", "why"),
         Column("discovered_by", "found by"), Column("last_seen", "last seen", "date")],
        [{"ip": d.ip, "mac": d.mac, "site": d.site, "brand": d.brand, "model": d.model, "firmware": d.firmware,
          "device_type": d.device_type, "unidentified_camera": d.key in e.unidentified,
          "reason": e.unidentified.get(d.key, ""), "discovered_by": d.discovered_by, "last_seen": d.last_seen}
         for d in q.unknown_manufacturer(e)],
    )  # fmt: skip


def _concerns(e: q.Estate) -> Table:
    return Table(
        "concerns",
        "Concerns that apply, per manufacturer",
        "Each concern recorded against the manufacturer or brand of devices in scope, with the authority, date "
        "and first source; 'applies via' says whether it names the company itself or reaches it through a parent.",
        [Column("manufacturer", "manufacturer"), Column("devices", "devices", "int"), Column("id", "concern id"),
         Column("title", "concern", width=50), Column("authority", "authority", width=36),
         Column("jurisdiction", "jurisdiction"), Column("date", "date", "date"), Column("category", "category"),
         Column("confidence", "confidence"), Column("status", "status"),
         Column("status_as_of", "status as of", "date"), Column("via", "applies via"),
         Column("source", "source", width=60), Column("url", "source URL", width=50)],
        [{"manufacturer": a.manufacturer, "devices": a.devices, "id": a.concern.id, "title": a.concern.title,
          "authority": a.concern.authority, "jurisdiction": a.concern.jurisdiction, "date": a.concern.date,
          "category": a.concern.category, "confidence": a.concern.confidence, "status": a.concern.status,
          "status_as_of": a.concern.status_as_of, "via": a.via,
          "source": a.concern.source_document, "url": a.concern.source_url} for a in q.concerns_by_manufacturer(e)],
    )  # fmt: skip


def _risk(e: q.Estate) -> Table:
    """Per device, one row per item in reading order (issue 13): formal restrictions, then exploitable firmware
    advisories, then statements and findings."""
    from camscan.risk.outline import outline, to_row

    rows: list[dict[str, Any]] = []
    for d in e.devices:
        o = outline(d, e)
        rows.extend(to_row(o, item, n) for n, item in enumerate(o.items, 1))
    return Table(
        "risk",
        "Risk per device: restrictions, exploitable advisories, statements",
        "For each device, in the order to read them: formal restrictions that name its maker (laws, lists, bans), "
        "then firmware advisories it is affected by, cannot be fixed for (end of life) or possibly carries (KEV "
        "first, with what to do), then recorded statements and findings. Advisories are matched offline from "
        "maker, model and firmware (docs/risk.md); not a penetration test.",
        [Column("site", "site"), Column("ip", "IP address"), Column("supplier", "supplier (manufacturer)"),
         Column("brand", "brand"), Column("model", "model"), Column("firmware", "firmware"),
         Column("order", "#", "int"), Column("kind", "kind"), Column("id", "id"), Column("title", "title", width=50),
         Column("status", "status"), Column("kev", "in CISA KEV"), Column("detail", "detail", width=60),
         Column("action", "what to do", width=40)],
        rows,
    )  # fmt: skip


def _devices(e: q.Estate) -> Table:
    return Table(
        "devices",
        "Devices (FAR 52.204-25 reporting fields)",
        "Supplier name, brand, model number and item description as FAR 52.204-25(d)(2)(i) asks, plus firmware "
        "and serial. Supplier is the manufacturer after OEM resolution; UEI and CAGE code are not known to a scan.",
        [Column("supplier", "supplier name (manufacturer)"), Column("supplier_legal_name", "supplier legal name"),
         Column("supplier_uei", "supplier UEI"), Column("supplier_cage", "supplier CAGE code"),
         Column("brand", "brand"), Column("model", "model number"), Column("description", "item description"),
         Column("firmware", "firmware"), Column("firmware_build", "firmware build"), Column("serial", "serial"),
         Column("ip", "IP address"), Column("mac", "MAC address"), Column("site", "site"),
         Column("device_type", "device type"), Column("confidence", "confidence", "float"),
         Column("concerns", "concern ids", width=50), Column("first_seen", "first seen", "date"),
         Column("last_seen", "last seen", "date")],
        [{"supplier": d.maker, "supplier_legal_name": (e.vendors[d.manufacturer].legal_name
                                                      if d.manufacturer in e.vendors else None),
          "supplier_uei": None, "supplier_cage": None, "brand": d.brand, "model": d.model,
          "description": d.item_description, "firmware": d.firmware, "firmware_build": d.firmware_build,
          "serial": d.serial, "ip": d.ip, "mac": d.mac, "site": d.site, "device_type": d.device_type,
          "confidence": d.confidence, "concerns": d.concerns, "first_seen": d.first_seen,
          "last_seen": d.last_seen} for d in e.devices],
    )  # fmt: skip


def _scans(e: q.Estate) -> Table:
    return Table(
        "scans",
        "Scans behind the numbers",
        "Every scan or import that saw a device in scope: when, how, and its status.",
        [Column("id", "scan", "int"), Column("kind", "kind"), Column("status", "status"),
         Column("started", "started", "date"), Column("finished", "finished", "date"), Column("site", "site"),
         Column("method", "method", width=60), Column("devices_seen", "devices seen", "int"),
         Column("errors", "errors", "int"), Column("camscan_version", "camscan"),
         Column("data_version", "data version", width=40)],
        [{"id": s.id, "kind": s.kind, "status": s.status, "started": s.started, "finished": s.finished,
          "site": s.site, "method": s.method_text, "devices_seen": s.devices_seen, "errors": s.errors,
          "camscan_version": s.camscan_version, "data_version": s.data_version} for s in e.scans],
    )  # fmt: skip


# -- cameras behind recorders (issue 14) ------------------------------------------------------------


def _behind_rows(e: q.Estate, t: q.Totals) -> list[tuple[str, str, int, float | None]]:
    """Cameras behind recorders: how many were found that way, and what could not be listed."""
    b = behind_counts(e.devices)
    return [
        ("cameras_behind_recorders", "Cameras found behind recorders, from their channel lists (% of surveillance "
         "devices; counted once, and also in the line above)", b.cameras_behind, q.pct(b.cameras_behind, t.cameras)),
        ("analog_maker_unknown", "Of those, analogue cameras whose maker the recorder does not say",
         b.analog_unknown, None),
        ("recorders", "Recorders (NVRs, DVRs) that reported their channels", b.recorders, None),
        ("recorders_unlisted", "Recorders whose cameras could not be listed (no or refused credentials)",
         b.unlisted, None),
        ("channels_unlisted", "Channels those recorders declare (their cameras are not in these counts)",
         b.channels_unlisted, None),
    ]  # fmt: skip


def _behind_answer(e: q.Estate, t: q.Totals) -> tuple[str, str, str]:
    b = behind_counts(e.devices)
    answer = (
        f"{_n(t.cameras, 'surveillance device')} in all; {b.cameras_behind} of them were found behind "
        f"{_n(b.listed, 'recorder')} (NVR/DVR channel lists), {b.also_direct} of those also directly on the "
        "network" + (f", {b.analog_unknown} analogue with no maker stated" if b.analog_unknown else "") + "."
    )
    if b.unlisted:
        answer += (
            f" {_n(b.unlisted, 'recorder')} could not list {'its' if b.unlisted == 1 else 'their'} cameras "
            f"({b.channels_unlisted} channels declared): those cameras are not counted."
        )
    question = "How many cameras, including those connected to NVRs and DVRs rather than to the network?"
    return (question, answer, "recorders")


def _recorders(e: q.Estate) -> Table:
    rows = []
    for view in recorder_views(e.devices):
        r = view.recorder
        base = {
            "recorder_ip": r.ip,
            "site": r.site,
            "recorder": " ".join(x for x in (r.maker, r.model) if x),
            "recorder_channels": view.channels,
            "listed": view.listed,
        }
        if not view.cameras:
            rows.append({**base, "note": view.describe()})
        for c in view.cameras:
            rows.append(
                {
                    **base,
                    "channel": c.channel,
                    "input": c.channel_input,
                    "channel_name": c.channel_name,
                    "private_address": c.private_address,
                    "camera": camera_text(c),
                    "brand": c.brand,
                    "manufacturer": c.manufacturer,
                    "model": c.model,
                    "firmware": c.firmware,
                    "serial": c.serial,
                    "also_direct_ip": c.ip,
                    "status": c.channel_status,
                    "concerns": c.concerns,
                }
            )
    return Table(
        "recorders",
        "Recorders and the cameras behind them",
        "Each camera an NVR or DVR lists on its channels, with what the recorder says of it (never more); a "
        "recorder whose cameras could not be listed says how many channels it has where it says so without a "
        "login. Cameras also reached directly are the same devices (counted once).",
        [Column("recorder_ip", "recorder IP"), Column("site", "site"), Column("recorder", "recorder"),
         Column("recorder_channels", "channels", "int"), Column("listed", "cameras listed"),
         Column("channel", "channel", "int"), Column("input", "input"), Column("channel_name", "channel name"),
         Column("private_address", "address behind the recorder"), Column("camera", "camera"),
         Column("brand", "brand"), Column("manufacturer", "manufacturer"), Column("model", "model"),
         Column("firmware", "firmware"), Column("serial", "serial"), Column("also_direct_ip", "also reached at"),
         Column("status", "status"), Column("concerns", "concern ids", width=50), Column("note", "note", width=80)],
        rows,
    )  # fmt: skip


def method_notes(e: q.Estate) -> list[tuple[str, str]]:
    kinds = sorted({s.kind for s in e.scans})
    partial = [s.id for s in e.scans if s.status != "complete"]
    return [
        ("purpose", "Answers the device questions of the UK Biometrics and Surveillance Camera Commissioner's "
         "2022 surveys (which manufacturers, concerns, unknown manufacturers, system types) from a network "
         "inventory of the organisation's own devices."),
        ("method", f"Devices were found and fingerprinted by camscan ({', '.join(kinds)}; see the scans table). "
         "Each device's banners, discovery replies and certificates were matched against public signatures; "
         "every field carries its evidence in the inventory database."),
        ("manufacturer", "Manufacturer is who made the device, after resolving rebadging (OEM relationships "
         "documented in vendors.yaml); brand is the label it was sold under. Country is the manufacturer's "
         "headquarters, not where a unit was assembled."),
        ("unknown", "Devices whose manufacturer could not be established are counted as (unknown) in every "
         "total and listed in the unknown_manufacturer table; nothing is dropped."),
        ("concerns", "Concerns come from camscan's register of public decisions and reports (concerns.yaml), "
         "each with its authority, date, sources and status (in_force, under_appeal, stayed, proposed, "
         "superseded, ended, or historical for a past event or statement), as of the register named under "
         "'concerns register'. Links of uncertain confidence are not counted. `camscan concerns --since DATE` "
         "lists what the register added or changed since an earlier answer."),
        ("recorders", "Cameras connected to an NVR or DVR (its PoE ports, its coax inputs) are listed from the "
         "recorder's own channel list, read with the recorder credentials the user gave, and are devices of "
         "their own, counted once even when also reached directly; an analogue camera is counted with no maker. "
         "A recorder that could not be asked says how many channels it has where it does so without a login "
         "(docs/recorders.md)."),
        ("percentages", "Of all devices in scope; surveillance percentages are of surveillance devices."),
        ("limits", "Only devices that answered on the scanned networks are counted: cameras on unscanned "
         "networks, switched off or silent are not. Partial scans: "
         + (", ".join(map(str, partial)) if partial else "none") + "."),
        ("FAR 52.204-25", "The devices table mirrors the (d)(2)(i) reporting fields: supplier name, supplier "
         "unique entity identifier (if known), CAGE code (if known), brand, model number, item description."),
        ("sources", SOURCES),
        ("data version", e.data_version or "unknown"),
        ("concerns register", e.concerns_register or "unknown"),
    ]  # fmt: skip


def build(estate: q.Estate) -> Document:
    t = q.totals(estate)
    makers = q.by_manufacturer(estate)
    tables = [
        _summary(estate, t),
        _answers(estate, t, makers),
        _manufacturers(makers),
        _models(estate),
        _types(estate),
        _sites(estate),
        _unknown(estate),
        _recorders(estate),
        _concerns(estate),
        _risk(estate),
        _devices(estate),
        _scans(estate),
    ]
    meta = {
        "generated": estate.generated,
        "database": str(estate.database),
        "scope": estate.scope_text,
        "camscan": estate.camscan_version,
        "concerns register": estate.concerns_register or "unknown",
    }
    return Document(TITLE, meta, tables, method_notes(estate))


def render(estate: q.Estate, fmt: str, output: Path | None, table: str | None = None) -> str | None:
    """Render in `fmt`; XLSX is written to `output`, other formats are returned as text."""
    doc = build(estate)
    if fmt == "xlsx":
        assert output is not None
        write_xlsx(doc, output, table)
        return None
    if fmt == "csv":
        return to_csv(doc, table)
    if fmt == "md":
        return to_markdown(doc, table)
    totals = q.totals(estate).to_dict()
    return to_json(doc, SCHEMA, table, extra={"scope": estate.scope_dict(), "totals": totals})
