#!/usr/bin/env python3
"""Regenerate GeoMine's demo county (data/shapefiles) and the broken-file test fixtures
(tests/Geo.Tests/Data/broken).

ALL GEOMETRY IS INVENTED. The county is a made-up area around Yongchuan District (永川区),
Chongqing, 105.70-106.10°E, 29.10-29.50°N. The five town names are real Yongchuan towns and four
closed-mine names (吊水洞煤矿, 中心桥煤矿, 韦家沟煤矿, 箕山电煤) come from the Yongchuan
coal-mine closure plan; every boundary, position, code, licence, company, pond, facility,
population and track is made up for the demo.

Run from anywhere (standard library only, needs GDAL's ogr2ogr/ogrinfo and PROJ's cs2cs):

    python3 tools/sample-data/make_sample_data.py

The output is deterministic: fixed random seeds, no network, and the DBF "last update" date is
pinned, so two runs give byte-identical files. Each run deletes the files it owns and writes them
again, then checks them (validity, containment, distances, encodings) and stops on any failure.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "data" / "shapefiles"
TRACKS = OUT / "tracks"
BROKEN = ROOT / "tests" / "Geo.Tests" / "Data" / "broken"

SEED = 20261123
REFERENCE_DAY = date(2026, 11, 23)  # "today" of the demo; also written as the DBF update date
COUNTY_CODE = "500118"  # 永川区

GBK = "CP936"
UTF8 = "UTF-8"
CGCS2000 = 4490  # geographic
GK_ZONE_35 = 4523  # 3-degree Gauss-Kruger zone 35, easting with zone prefix (35 500 000)
GK_CM_105 = 4544  # 3-degree Gauss-Kruger CM 105°E, easting without prefix (500 000)

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")

# --------------------------------------------------------------------------------------------
# Geometry helpers (plain Python, planar). Rings are closed lists of (x, y) tuples.
# --------------------------------------------------------------------------------------------

_A = 6378137.0
_F = 1 / 298.257222101
_E2 = _F * (2 - _F)


class LocalFrame:
    """East/north metres in the tangent plane at (lon0, lat0) on the CGCS2000 ellipsoid.
    Within a few kilometres it agrees with geodesic distances to well under a metre."""

    def __init__(self, lon0: float, lat0: float):
        phi = math.radians(lat0)
        w = math.sqrt(1 - _E2 * math.sin(phi) ** 2)
        self.lon0, self.lat0 = lon0, lat0
        self.kx = math.radians(1) * _A / w * math.cos(phi)  # metres per degree of longitude
        self.ky = math.radians(1) * _A * (1 - _E2) / w**3  # metres per degree of latitude

    def to_m(self, p):
        return ((p[0] - self.lon0) * self.kx, (p[1] - self.lat0) * self.ky)

    def to_deg(self, p):
        return (self.lon0 + p[0] / self.kx, self.lat0 + p[1] / self.ky)


def metres_between(p, q):
    """Distance in metres between two (lon, lat) points."""
    frame = LocalFrame(*p)
    x, y = frame.to_m(q)
    return math.hypot(x, y)


def rdeg(p):
    return (round(p[0], 7), round(p[1], 7))


def rmet(p):
    return (round(p[0], 2), round(p[1], 2))


def close(ring):
    return list(ring) + [ring[0]] if ring[0] != ring[-1] else list(ring)


def ring_area(ring):
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        s += x1 * y2 - x2 * y1
    return abs(s) / 2


def _orient(a, b, c):
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _on_segment(a, b, p):
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def segments_intersect(p1, p2, q1, q2):
    d1, d2 = _orient(q1, q2, p1), _orient(q1, q2, p2)
    d3, d4 = _orient(p1, p2, q1), _orient(p1, p2, q2)
    if ((d1 > 0 and d2 < 0) or (d1 < 0 and d2 > 0)) and ((d3 > 0 and d4 < 0) or (d3 < 0 and d4 > 0)):
        return True
    return ((d1 == 0 and _on_segment(q1, q2, p1)) or (d2 == 0 and _on_segment(q1, q2, p2))
            or (d3 == 0 and _on_segment(p1, p2, q1)) or (d4 == 0 and _on_segment(p1, p2, q2)))


def edges(ring):
    return list(zip(ring, ring[1:]))


def ring_is_simple(ring):
    es = edges(ring)
    n = len(es)
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue
            if segments_intersect(*es[i], *es[j]):
                return False
    return True


def point_in_ring(p, ring):
    x, y = p
    inside = False
    for (x1, y1), (x2, y2) in edges(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def rings_cross(a, b):
    return any(segments_intersect(*e, *f) for e in edges(a) for f in edges(b))


def ring_inside(inner, outer):
    return all(point_in_ring(p, outer) for p in inner[:-1]) and not rings_cross(inner, outer)


def rings_disjoint(a, b):
    return (not rings_cross(a, b) and not point_in_ring(a[0], b) and not point_in_ring(b[0], a))


def polyline_length(line):
    return sum(math.dist(p, q) for p, q in zip(line, line[1:]))


def project_on_polyline(p, line):
    """(distance along the line to the nearest point, distance from p to the line), in line units."""
    best, along, walked = None, 0.0, 0.0
    for a, b in zip(line, line[1:]):
        seg = math.dist(a, b)
        t = 0.0 if seg == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / seg**2))
        q = (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
        d = math.dist(p, q)
        if best is None or d < best:
            best, along = d, walked + t * seg
        walked += seg
    return along, best


def distance_to_ring(p, ring):
    return project_on_polyline(p, ring)[1]


def point_along(line, s):
    """The point at distance s along the line and the unit direction there."""
    walked = 0.0
    for a, b in zip(line, line[1:]):
        seg = math.dist(a, b)
        if walked + seg >= s and seg > 0:
            t = (s - walked) / seg
            d = ((b[0] - a[0]) / seg, (b[1] - a[1]) / seg)
            return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])), d
        walked += seg
    a, b = line[-2], line[-1]
    seg = math.dist(a, b)
    return b, ((b[0] - a[0]) / seg, (b[1] - a[1]) / seg)


def star_ring(rng, n, rx, ry, jitter, rotation_deg=0.0, fixed_first=False):
    """A star-shaped (hence simple) ring around the origin: n vertices at increasing angles on a
    jittered ellipse with semi-axes rx, ry, rotated. With fixed_first the first vertex lies exactly
    at (rx, 0) before rotation (used for a pond's dam toe)."""
    rot = math.radians(rotation_deg)
    pts = []
    for i in range(n):
        first = fixed_first and i == 0
        ang = 2 * math.pi * i / n + (0 if first else rng.uniform(-0.3, 0.3) * 2 * math.pi / n)
        f = 1.0 if first else rng.uniform(1 - jitter, 1 + jitter)
        x, y = rx * math.cos(ang) * f, ry * math.sin(ang) * f
        pts.append((x * math.cos(rot) - y * math.sin(rot), x * math.sin(rot) + y * math.cos(rot)))
    return close(pts)


def scale_ring(ring, k):
    return [(x * k, y * k) for x, y in ring]


def box_star_ring(rng, n, hw, hh, shrink=(0.75, 0.97)):
    """A star-shaped ring of n corners inside the box ±hw × ±hh (a licence boundary's corner points)."""
    pts = []
    offset = math.pi / 4 if n == 4 else rng.uniform(0, 2 * math.pi / n)
    for i in range(n):
        ang = offset + 2 * math.pi * i / n + rng.uniform(-0.2, 0.2) * 2 * math.pi / n
        c, s = math.cos(ang), math.sin(ang)
        reach = min(hw / abs(c) if abs(c) > 1e-9 else math.inf, hh / abs(s) if abs(s) > 1e-9 else math.inf)
        r = reach * rng.uniform(*shrink)
        pts.append((r * c, r * s))
    return close(pts)


def translate(ring, dx, dy):
    return [(x + dx, y + dy) for x, y in ring]


# --------------------------------------------------------------------------------------------
# External tools: PROJ cs2cs for coordinates, GDAL ogr2ogr/ogrinfo for files.
# --------------------------------------------------------------------------------------------


def _cs2cs(pairs, src, dst):
    """Transforms pairs given in the EPSG axis order of src (lat/lon, northing/easting)."""
    text = "".join(f"{a:.10f} {b:.10f}\n" for a, b in pairs)
    out = subprocess.run(["cs2cs", "-f", "%.10f", f"EPSG:{src}", f"EPSG:{dst}"],
                         input=text, capture_output=True, text=True, check=True).stdout
    result = [tuple(float(v) for v in line.split()[:2]) for line in out.splitlines() if line.strip()]
    if len(result) != len(pairs):
        raise RuntimeError("cs2cs returned a different number of points")
    return result


def lonlat_to_gk(points, epsg):
    """(lon, lat) CGCS2000 → (easting, northing) in a Gauss-Kruger EPSG CRS."""
    return [(e, n) for n, e in _cs2cs([(lat, lon) for lon, lat in points], CGCS2000, epsg)]


def gk_to_lonlat(points, epsg):
    """(easting, northing) in a Gauss-Kruger EPSG CRS → (lon, lat) CGCS2000."""
    return [(lon, lat) for lat, lon in _cs2cs([(n, e) for e, n in points], epsg, CGCS2000)]


def run(cmd, quiet=False):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stderr}")
    if result.stderr.strip() and not quiet:
        print(f"  note from {cmd[0]}: {result.stderr.strip()}")
    return result.stdout


class Writer:
    """Writes layers through a temporary GeoJSON file and ogr2ogr."""

    def __init__(self, tmp: Path):
        self.tmp = tmp

    def _geojson(self, name, features):
        path = self.tmp / f"{name}.geojson"
        collection = {
            "type": "FeatureCollection",
            "name": name,
            "features": [{"type": "Feature", "properties": props, "geometry": geom} for props, geom in features],
        }
        path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
        return path

    def shapefile(self, shp: Path, features, geometry_type, epsg, encoding, prj=True, numeric=None):
        """Writes a shapefile. Text fields are sized to their longest value (RESIZE), numbers get
        the DBF width and decimals given in `numeric` ({field: (width, decimals)}). GBK files get no
        .cpg and DBF language driver id 0, as offices send them; every DBF gets the fixed update
        date so runs are byte-identical."""
        shp.parent.mkdir(parents=True, exist_ok=True)
        remove_shapefile(shp)
        source = self._geojson(shp.stem, features)
        columns = [f'CAST("{name}" AS NUMERIC({numeric[name][0]},{numeric[name][1]})) AS "{name}"'
                   if numeric and name in numeric else f'"{name}"' for name in features[0][0]]
        run(["ogr2ogr", "-f", "ESRI Shapefile", str(shp), str(source), "-nln", shp.stem,
             "-sql", f'SELECT {", ".join(columns)} FROM "{shp.stem}"',
             "-nlt", geometry_type, "-a_srs", f"EPSG:{epsg}", "-lco", f"ENCODING={encoding}", "-lco", "RESIZE=YES"])
        if encoding == GBK:
            shp.with_suffix(".cpg").unlink(missing_ok=True)
        if not prj:
            shp.with_suffix(".prj").unlink()
        dbf = shp.with_suffix(".dbf")
        header = bytearray(dbf.read_bytes())
        header[1:4] = bytes([REFERENCE_DAY.year - 1900, REFERENCE_DAY.month, REFERENCE_DAY.day])
        if encoding == GBK:
            header[29] = 0  # language driver id: none
        dbf.write_bytes(bytes(header))

    def geojson_rfc7946(self, path: Path, features):
        path.unlink(missing_ok=True)
        source = self._geojson(path.stem, features)
        run(["ogr2ogr", "-f", "GeoJSON", str(path), str(source), "-nln", path.stem,
             "-lco", "RFC7946=YES", "-lco", "COORDINATE_PRECISION=7"])


def remove_shapefile(shp: Path):
    for ext in SHAPEFILE_PARTS:
        shp.with_suffix(ext).unlink(missing_ok=True)


def polygon(ring, holes=()):
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring]] + [[list(p) for p in h] for h in holes]}


def point(p):
    return {"type": "Point", "coordinates": list(p)}


def linestring(line):
    return {"type": "LineString", "coordinates": [list(p) for p in line]}


def iso(d):
    return d.isoformat() if d else None


# --------------------------------------------------------------------------------------------
# a. Towns: five cells tiling the county, neighbours share identical jagged edges.
# --------------------------------------------------------------------------------------------

TOWN_NODES = {
    "NW": (105.70, 29.50), "T1": (105.92, 29.50), "NE": (106.10, 29.50),
    "R": (106.10, 29.29), "SE": (106.10, 29.10), "B2": (105.98, 29.10),
    "B1": (105.82, 29.10), "SW": (105.70, 29.10), "L": (105.70, 29.31),
    "J1": (105.83, 29.30), "J2": (105.91, 29.315), "J3": (105.97, 29.295),
}

# name: (from, to, outer?). Outer edges run clockwise around the county and bend inwards only.
TOWN_EDGES = {
    "top_a": ("NW", "T1", True), "top_b": ("T1", "NE", True),
    "right_u": ("NE", "R", True), "right_l": ("R", "SE", True),
    "bot_c": ("SE", "B2", True), "bot_b": ("B2", "B1", True), "bot_a": ("B1", "SW", True),
    "left_l": ("SW", "L", True), "left_u": ("L", "NW", True),
    "H_a": ("L", "J1", False), "H_b": ("J1", "J2", False), "H_c": ("J2", "J3", False), "H_d": ("J3", "R", False),
    "V1": ("J2", "T1", False), "V2": ("B1", "J1", False), "V3": ("B2", "J3", False),
}

# code, name, ring as (edge, reversed?) in clockwise order
TOWNS = [
    ("500118101", "红炉镇", [("H_a", False), ("V2", True), ("bot_a", False), ("left_l", False)]),
    ("500118102", "双石镇", [("top_a", False), ("V1", True), ("H_b", True), ("H_a", True), ("left_u", False)]),
    ("500118103", "临江镇", [("top_b", False), ("right_u", False), ("H_d", True), ("H_c", True), ("V1", False)]),
    ("500118104", "何埂镇", [("H_b", False), ("H_c", False), ("V3", True), ("bot_b", False), ("V2", False)]),
    ("500118105", "宝峰镇", [("H_d", False), ("right_l", False), ("bot_c", False), ("V3", False)]),
]


def jagged_edge(rng, a, b, outer):
    """A boundary from node a to node b: a gentle meander plus noise, tapered to zero at the nodes
    so that edges meeting at a node cannot cross. Outer edges bend only to the right (inwards)."""
    length = math.dist(a, b)
    n = max(4, int(length / 0.006))  # a vertex about every 600 m
    amp = 0.0035 if outer else 0.005
    waves, phase = rng.choice([1, 2]), rng.uniform(0, 2 * math.pi)
    nx, ny = (b[1] - a[1]) / length, -(b[0] - a[0]) / length  # right-hand normal
    pts = [a]
    for i in range(1, n):
        t = (i + rng.uniform(-0.3, 0.3)) / n
        taper = math.sin(math.pi * t)
        wave = math.sin(2 * math.pi * waves * t + phase)
        if outer:
            off = amp * taper * (0.5 + 0.3 * wave + 0.2 * rng.random())
        else:
            off = amp * taper * (0.7 * wave + 0.3 * rng.uniform(-1, 1))
        pts.append(rdeg((a[0] + t * (b[0] - a[0]) + off * nx, a[1] + t * (b[1] - a[1]) + off * ny)))
    pts.append(b)
    return pts


def make_towns():
    rng = random.Random(SEED + 1)
    edge_points = {name: jagged_edge(rng, TOWN_NODES[f], TOWN_NODES[t], outer)
                   for name, (f, t, outer) in TOWN_EDGES.items()}
    towns = []
    for code, name, parts in TOWNS:
        ring = []
        for edge, reverse in parts:
            pts = edge_points[edge][::-1] if reverse else edge_points[edge]
            if ring:
                assert ring[-1] == pts[0], f"{name}: edges do not join at {edge}"
                ring.extend(pts[1:])
            else:
                ring.extend(pts)
        assert ring[0] == ring[-1], f"{name}: ring not closed"
        assert ring_is_simple(ring), f"{name}: self-intersecting"
        towns.append({"code": code, "name": name, "ring": ring})
    return towns


def town_of(p, towns):
    found = [t for t in towns if point_in_ring(p, t["ring"])]
    return found[0] if len(found) == 1 else None


def town_named(towns, name):
    return next(t for t in towns if t["name"] == name)


def write_towns(w: Writer, towns):
    w.shapefile(OUT / "towns.shp",
                [({"代码": t["code"], "名称": t["name"], "上级代码": COUNTY_CODE}, polygon(t["ring"])) for t in towns],
                "POLYGON", CGCS2000, GBK)


# --------------------------------------------------------------------------------------------
# b. Villages: 2-3 per town, strictly inside it (generic names; positions invented).
# --------------------------------------------------------------------------------------------

VILLAGES = [  # town, code suffix, name, centre lon, lat, radius m
    ("红炉镇", "201", "石龙村", 105.745, 29.255, 1700),
    ("红炉镇", "202", "龙井村", 105.785, 29.160, 1500),
    ("红炉镇", "203", "红星村", 105.735, 29.135, 1500),
    ("双石镇", "201", "双凤村", 105.760, 29.455, 1800),
    ("双石镇", "202", "永兴村", 105.855, 29.370, 1700),
    ("双石镇", "203", "金竹村", 105.750, 29.355, 1600),
    ("临江镇", "201", "清江村", 105.965, 29.440, 1900),
    ("临江镇", "202", "合兴村", 106.050, 29.360, 1800),
    ("何埂镇", "201", "黄桷村", 105.870, 29.250, 1600),
    ("何埂镇", "202", "大坪村", 105.935, 29.150, 1700),
    ("何埂镇", "203", "马鞍村", 105.870, 29.140, 1500),
    ("宝峰镇", "201", "青峰村", 106.040, 29.235, 1700),
    ("宝峰镇", "202", "高洞村", 106.020, 29.140, 1700),
]


def make_villages(towns):
    rng = random.Random(SEED + 2)
    villages = []
    for town_name, suffix, name, lon, lat, radius in VILLAGES:
        town = town_named(towns, town_name)
        frame = LocalFrame(lon, lat)
        ring_m = star_ring(rng, rng.randint(9, 13), radius * rng.uniform(1.0, 1.2), radius * rng.uniform(0.8, 1.0),
                           0.15, rng.uniform(0, 180))
        ring = [rdeg(frame.to_deg(p)) for p in ring_m]
        assert ring_is_simple(ring) and ring_inside(ring, town["ring"]), f"village {name} not inside {town_name}"
        villages.append({"code": town["code"] + suffix, "name": name, "parent": town["code"], "ring": ring})
    for i, a in enumerate(villages):
        for b in villages[i + 1:]:
            assert rings_disjoint(a["ring"], b["ring"]), f"villages {a['name']} and {b['name']} overlap"
    return villages


def write_villages(w: Writer, villages):
    w.shapefile(OUT / "villages.shp",
                [({"DM": v["code"], "MC": v["name"], "SJDM": v["parent"]}, polygon(v["ring"])) for v in villages],
                "POLYGON", CGCS2000, UTF8)


# --------------------------------------------------------------------------------------------
# c./d. Closed coal mines and their sealed shafts.
# --------------------------------------------------------------------------------------------

MINES = [  # code, name, town, centre lon, lat, area km², closure date, status, shafts, collar elevation
    ("YC-CM-001", "吊水洞煤矿", "红炉镇", 105.775, 29.215, 0.72, date(2016, 10, 31), "已封闭", 3, 335),
    ("YC-CM-002", "中心桥煤矿", "双石镇", 105.790, 29.430, 0.78, date(2017, 6, 30), "已关闭", 3, 372),
    ("YC-CM-003", "韦家沟煤矿", "临江镇", 105.995, 29.455, 0.85, date(2016, 12, 20), "已封闭", 3, 318),
    ("YC-CM-004", "箕山电煤", "宝峰镇", 106.040, 29.205, 0.95, date(2018, 11, 30), "已关闭", 4, 405),
    ("YC-CM-005", "黄瓜山煤矿", "宝峰镇", 106.070, 29.165, 0.45, date(2019, 12, 31), "已关闭", 2, 388),
    ("YC-CM-006", "大安煤矿", "双石镇", 105.815, 29.402, 0.55, date(2017, 9, 30), "已封闭", 2, 356),
    ("YC-CM-007", "三教煤矿", "临江镇", 106.060, 29.420, 0.48, date(2020, 6, 30), "已关闭", 2, 296),
    ("YC-CM-008", "金龙煤矿", "红炉镇", 105.730, 29.180, 0.36, date(2018, 6, 30), "已封闭", 2, 312),
    ("YC-CM-009", "板桥煤矿", "何埂镇", 105.905, 29.228, 0.52, date(2025, 12, 15), "关闭中", 2, 347),
]

SHAFT_NAMES = {2: ["主井", "风井"], 3: ["主井", "副井", "风井"], 4: ["主井", "副井", "风井", "斜井"]}
SEAL_METHODS = ["混凝土封堵", "回填封闭", "砌墙封闭"]
DAMAGED_SHAFTS = {"YC-CM-004-J3", "YC-CM-007-J2"}


def make_mines(towns):
    rng = random.Random(SEED + 3)
    mines = []
    for code, name, town_name, lon, lat, area_km2, closed, status, n_shafts, elevation in MINES:
        frame = LocalFrame(lon, lat)
        ring_m = star_ring(rng, rng.randint(7, 10), 1.15, 0.87, 0.15, rng.uniform(0, 180))
        ring_m = scale_ring(ring_m, math.sqrt(area_km2 * 1e6 / ring_area(ring_m)))
        ring = [rdeg(frame.to_deg(p)) for p in ring_m]
        town = town_named(towns, town_name)
        assert ring_is_simple(ring) and ring_inside(ring, town["ring"]), f"mine {name} not inside {town_name}"
        area = ring_area([frame.to_m(p) for p in ring]) / 1e6
        assert 0.3 <= area <= 1.0, f"mine {name}: {area:.2f} km²"
        mines.append({"code": code, "name": name, "town": town_name, "ring": ring, "frame": frame,
                      "closed": closed, "status": status, "n_shafts": n_shafts, "elevation": elevation})
    for i, a in enumerate(mines):
        for b in mines[i + 1:]:
            assert rings_disjoint(a["ring"], b["ring"]), f"mines {a['name']} and {b['name']} overlap"
    return mines


def make_shafts(mines):
    """Shafts well inside their mine (≥ 40 m from the boundary, ≥ 110 m apart). Their stored
    position is the EPSG:4523 coordinate rounded to the centimetre; 'lonlat' is that point
    converted back, used to design the patrol tracks."""
    rng = random.Random(SEED + 4)
    shafts = []
    for mine in mines:
        frame = mine["frame"]
        ring_m = [frame.to_m(p) for p in mine["ring"]]
        reach = max(math.hypot(*p) for p in ring_m)
        chosen = []
        while len(chosen) < mine["n_shafts"]:
            p = (rng.uniform(-reach, reach), rng.uniform(-reach, reach))
            if (point_in_ring(p, ring_m) and distance_to_ring(p, ring_m) >= 40
                    and all(math.dist(p, q) >= 110 for q in chosen)):
                chosen.append(p)
        for i, p in enumerate(chosen):
            code = f"{mine['code']}-J{i + 1}"
            sealed = mine["closed"] + timedelta(days=rng.randint(20, 120))
            assert sealed < REFERENCE_DAY
            shafts.append({
                "code": code, "mine": mine, "name": SHAFT_NAMES[mine["n_shafts"]][i],
                "design": frame.to_deg(p), "sealed": sealed, "method": rng.choice(SEAL_METHODS),
                "status": "破损" if code in DAMAGED_SHAFTS else "完好",
                "elevation": round(min(450.0, max(250.0, mine["elevation"] + rng.uniform(-25, 25))), 1),
            })
    projected = [rmet(p) for p in lonlat_to_gk([s["design"] for s in shafts], GK_ZONE_35)]
    back = gk_to_lonlat(projected, GK_ZONE_35)
    for shaft, xy, lonlat in zip(shafts, projected, back):
        shaft["xy"], shaft["lonlat"] = xy, lonlat
        assert point_in_ring(lonlat, shaft["mine"]["ring"]), f"{shaft['code']} outside its mine"
    return shafts


def mine_properties(m):
    return {"矿山编码": m["code"], "矿山名称": m["name"], "所属镇街": m["town"], "关闭日期": iso(m["closed"]),
            "关闭状态": m["status"], "矿种": "煤"}


def write_mines(w: Writer, mines):
    w.shapefile(OUT / "closed_mines.shp", [(mine_properties(m), polygon(m["ring"])) for m in mines],
                "POLYGON", CGCS2000, GBK)


def write_shafts(w: Writer, shafts):
    w.shapefile(OUT / "sealed_shafts.shp", [
        ({"井口编号": s["code"], "矿山名称": s["mine"]["name"], "井口名称": s["name"], "封闭日期": iso(s["sealed"]),
          "封闭方式": s["method"], "状态": s["status"], "井口标高": s["elevation"]}, point(s["xy"]))
        for s in shafts], "POINT", GK_ZONE_35, GBK, numeric={"井口标高": (7, 1)})


# --------------------------------------------------------------------------------------------
# e. Mining rights (EPSG:4544): three clustered mining districts.
# --------------------------------------------------------------------------------------------

DISTRICTS = {"A": (105.985, 29.365), "B": (105.900, 29.165), "C": (105.740, 29.395)}

# district, cell centre offset km (dx, dy), half width/height km, shape, corners,
# licence, holder, mine name, mineral, valid from, valid to, upper m, lower m
MINING_RIGHTS = [
    ("A", 0.0, 0.0, 0.85, 0.75, "hole", 10, "C5000002009071120032145", "重庆市永川区临江煤业有限公司",
     "永川区临江镇新华煤矿", "煤", date(2019, 7, 11), date(2029, 7, 11), 363.0, -150.0),
    ("A", 2.0, 0.3, 0.70, 0.80, "simple", 6, "C5000002010121120087613", "重庆永荣矿业有限公司",
     "永川区临江镇红岩煤矿", "煤", date(2020, 12, 30), date(2030, 12, 30), 420.0, -80.0),
    ("A", -1.9, 0.4, 0.75, 0.65, "simple", 5, "C5000002011041120110520", "重庆市永川区鑫源煤业有限公司",
     "永川区临江镇大石板煤矿", "煤", date(2016, 4, 20), date(2026, 4, 20), 380.0, 20.0),
    ("A", 0.3, 1.85, 0.60, 0.50, "simple", 4, "C5001182015061130139987", "重庆市永川区临江镇宏达页岩砖厂",
     "永川区临江镇宏达页岩矿", "页岩", date(2021, 6, 1), date(2028, 6, 1), 410.0, 350.0),
    ("A", 0.6, -2.0, 1.30, 0.70, "multi", 5, "C5000002013091120132276", "重庆市永川区双龙煤业有限公司",
     "永川区临江镇双龙煤矿", "煤", date(2018, 9, 15), date(2028, 9, 15), 395.0, -120.0),
    ("B", 0.0, 0.0, 0.70, 0.55, "simple", 7, "C5001182017051130144310", "重庆市永川区何埂建材有限公司",
     "永川区何埂镇石龙岗石灰岩矿", "石灰岩", date(2022, 5, 10), date(2027, 5, 10), 540.0, 400.0),
    ("B", 1.7, 0.2, 0.60, 0.60, "simple", 5, "C5001182018031130155021", "重庆市永川区宏森矿业有限公司",
     "永川区何埂镇大坪石灰岩矿", "石灰岩", date(2023, 3, 1), date(2028, 3, 1), 560.0, 420.0),
    ("B", -1.6, -0.1, 0.55, 0.50, "simple", 4, "C5001182016111130138845", "重庆市永川区何埂镇马鞍页岩砖厂",
     "永川区何埂镇马鞍页岩矿", "页岩", date(2024, 11, 20), date(2029, 11, 20), 430.0, 370.0),
    ("B", 0.2, 1.5, 0.65, 0.50, "simple", 8, "C5001182019081130160072", "重庆市永川区金石矿业有限公司",
     "永川区何埂镇金石石灰岩矿", "石灰岩", date(2019, 8, 1), date(2029, 8, 1), 520.0, 380.0),
    ("B", 1.2, -1.4, 0.60, 0.55, "simple", 6, "C5001182020121130172219", "重庆永川区通达建筑材料有限公司",
     "永川区何埂镇通达砂岩矿", "砂岩", date(2020, 12, 15), date(2030, 12, 15), 470.0, 390.0),
    ("B", -0.9, -1.4, 0.50, 0.45, "simple", 4, "C5001182021061130180453", "重庆市永川区何埂镇青山采石场",
     "永川区何埂镇青山石灰岩矿", "石灰岩", date(2021, 6, 20), date(2026, 12, 20), 505.0, 400.0),
    ("C", 0.0, 0.0, 0.90, 0.80, "simple", 12, "C5000002008121120021187", "重庆市永川区双石煤业有限责任公司",
     "永川区双石镇茶山煤矿", "煤", date(2018, 12, 20), date(2028, 12, 20), 340.0, -200.0),
    ("C", 1.9, -0.5, 0.55, 0.60, "simple", 5, "C5001182018101130157730", "重庆市永川区双石镇顺发页岩砖厂",
     "永川区双石镇顺发页岩矿", "页岩", date(2022, 10, 8), date(2027, 10, 8), 395.0, 330.0),
    ("C", -0.3, 1.6, 0.70, 0.45, "simple", 6, "C5001182019041130163395", "重庆市永川区永盛建材有限公司",
     "永川区双石镇永盛砂岩矿", "砂岩", date(2019, 4, 18), date(2029, 4, 18), 430.0, 360.0),
    ("C", -1.8, -0.6, 0.65, 0.70, "simple", 9, "C5000002012061120126638", "重庆市永川区金鑫煤业有限公司",
     "永川区双石镇金鑫煤矿", "煤", date(2017, 6, 30), date(2027, 6, 30), 375.0, -60.0),
]

EXCAVATOR_LICENCE = "C5001182019081130160072"  # 金石石灰岩矿, on the north edge of district B


def make_mining_rights(towns, mines):
    rng = random.Random(SEED + 5)
    centres = dict(zip(DISTRICTS, [rmet(p) for p in lonlat_to_gk(list(DISTRICTS.values()), GK_CM_105)]))
    rights = []
    for (district, dx, dy, hw, hh, shape, corners, licence, holder, mine_name, mineral,
         valid_from, valid_to, upper, lower) in MINING_RIGHTS:
        cx, cy = centres[district][0] + dx * 1000, centres[district][1] + dy * 1000
        if shape == "multi":  # two blocks side by side with a 200 m gap
            bw = (hw * 1000 - 100) / 2
            blocks = [[translate(box_star_ring(rng, corners, bw, hh * 1000), cx + sx * (bw + 100), cy)]
                      for sx in (-1, 1)]
        else:
            outer = translate(box_star_ring(rng, corners, hw * 1000, hh * 1000), cx, cy)
            holes = []
            if shape == "hole":  # an excluded area (e.g. a reservoir) inside the licence
                holes = [translate(star_ring(rng, 7, 220, 160, 0.1, rng.uniform(0, 180)), cx + 80, cy - 60)]
            blocks = [[outer] + holes]
        blocks = [[[rmet(p) for p in ring] for ring in block] for block in blocks]
        area = sum(ring_area(b[0]) - sum(ring_area(h) for h in b[1:]) for b in blocks) / 1e6
        assert 0.5 <= area <= 3.0, f"{licence}: {area:.2f} km²"
        assert len(licence) == 23 and upper > lower
        for block in blocks:
            assert all(ring_is_simple(r) for r in block) and all(ring_inside(h, block[0]) for h in block[1:])
        rights.append({"licence": licence, "holder": holder, "mine_name": mine_name, "mineral": mineral,
                       "from": valid_from, "to": valid_to, "upper": upper, "lower": lower,
                       "blocks": blocks, "district": district, "area": area})
    # Disjoint from each other; inside the county; clear of the closed mines.
    outers = [(r, b[0]) for r in rights for b in r["blocks"]]
    for i, (ra, a) in enumerate(outers):
        for rb, b in outers[i + 1:]:
            assert rings_disjoint(a, b), f"{ra['licence']} and {rb['licence']} overlap"
    for r in rights:
        r["lonlat_outers"] = [gk_to_lonlat(b[0], GK_CM_105) for b in r["blocks"]]
        for ring in r["lonlat_outers"]:
            assert all(town_of(p, towns) for p in ring), f"{r['licence']} leaves the county"
            assert all(rings_disjoint(ring, m["ring"]) for m in mines), f"{r['licence']} overlaps a closed mine"
    return rights


def write_mining_rights(w: Writer, rights):
    features = []
    for r in rights:
        if len(r["blocks"]) == 1:
            geom = polygon(r["blocks"][0][0], r["blocks"][0][1:])
        else:
            geom = {"type": "MultiPolygon", "coordinates": [[[list(p) for p in ring] for ring in b] for b in r["blocks"]]}
        features.append(({"XKZH": r["licence"], "CKQR": r["holder"], "KSMC": r["mine_name"], "KCKZ": r["mineral"],
                          "YXQQ": iso(r["from"]), "YXQZ": iso(r["to"]), "BGSX": r["upper"], "BGXX": r["lower"]}, geom))
    w.shapefile(OUT / "mining_rights.shp", features, "POLYGON", GK_CM_105, UTF8,
                numeric={"BGSX": (8, 1), "BGXX": (8, 1)})


# --------------------------------------------------------------------------------------------
# f. Tailings ponds, their downstream flow paths and starter-dam toes.
# --------------------------------------------------------------------------------------------

PONDS = [  # code, name, operator, status, disused since, storage 万m³, dam height m, town,
    #          centre lon, lat, area km², downstream heading (° from east), path pieces (length m, turn °)
    ("YC-TP-01", "黄桷湾尾矿库", "重庆市永川区黄桷湾选矿有限公司", "在用", None, 35.0, 18.0, "何埂镇",
     105.860, 29.242, 0.06, -100, [(300, 0), (400, -35), (500, 50), (600, -30), (700, 20)]),
    ("YC-TP-02", "双石沟尾矿库", "重庆市永川区双石洗选有限公司", "停用", date(2022, 8, 15), 120.0, 32.0, "双石镇",
     105.850, 29.468, 0.10, -10, [(400, 0), (500, 30), (600, -45), (500, 25), (300, 0)]),
    # a hairpin valley: 450 m north, a 180° bend of radius 250 m, then back south past the toe
    ("YC-TP-03", "合兴湾尾矿库", "重庆永荣矿业有限公司", "闭库", None, 650.0, 45.0, "临江镇",
     106.062, 29.352, 0.15, 90, [(450, 0), (250 * math.pi, -180), (300, 0), (600, 40), (300, 0)]),
    ("YC-TP-04", "高洞尾矿库", "重庆市永川区宝峰矿业有限公司", "在用", None, 1500.0, 65.0, "宝峰镇",
     106.005, 29.128, 0.22, 5, [(350, 0), (500, -25), (600, 35), (500, -20), (450, 0)]),
    ("YC-TP-05", "石龙沟尾矿库", "", "无主", None, 80.0, 25.0, "红炉镇",
     105.728, 29.272, 0.08, -80, [(500, 0), (600, 40), (500, -50), (500, 20)]),
    ("YC-TP-06", "清江尾矿库", "重庆市永川区清江选矿有限公司", "停用", date(2026, 3, 20), 12000.0, 105.0, "临江镇",
     105.952, 29.418, 0.29, 95, [(400, 0), (600, -30), (700, 45), (500, -20), (400, 0)]),
]


def path_from_pieces(start, heading_deg, pieces, step=40.0):
    """A valley-like line: straight pieces (turn 0) and circular bends (turn ° over the length)."""
    pts = [start]
    x, y = start
    heading = math.radians(heading_deg)
    for length, turn in pieces:
        n = max(1, math.ceil(length / step))
        dl, dh = length / n, math.radians(turn) / n
        for _ in range(n):
            # chord of the arc piece: advance along the mid-step heading
            x += dl * math.cos(heading + dh / 2)
            y += dl * math.sin(heading + dh / 2)
            heading += dh
            pts.append((x, y))
    return pts


def make_ponds(towns, mines, rights):
    rng = random.Random(SEED + 6)
    ponds = []
    for (code, name, operator, status, disused, storage, dam_h, town_name, lon, lat, area_km2,
         heading, pieces) in PONDS:
        frame = LocalFrame(lon, lat)
        ring_m = star_ring(rng, rng.randint(10, 12), 1.5, 1.0, 0.12, heading, fixed_first=True)
        ring_m = scale_ring(ring_m, math.sqrt(area_km2 * 1e6 / ring_area(ring_m)))
        ring = [rdeg(frame.to_deg(p)) for p in ring_m]
        toe = ring[0]  # a vertex of the pond boundary, on the downstream end of the long axis
        path_m = path_from_pieces(frame.to_m(toe), heading, pieces)
        path = [toe] + [rdeg(frame.to_deg(p)) for p in path_m[1:]]
        town = town_named(towns, town_name)
        assert ring_is_simple(ring) and ring_inside(ring, town["ring"]), f"pond {code} not inside {town_name}"
        area = ring_area([frame.to_m(p) for p in ring]) / 1e6
        assert 0.05 <= area <= 0.3, f"pond {code}: {area:.3f} km²"
        # The path leaves the pond at the toe and never comes back into it.
        assert not any(point_in_ring(p, ring) for p in path[1:])
        assert not any(segments_intersect(a, b, *e) for a, b in zip(path[1:], path[2:]) for e in edges(ring))
        mid = ((path[0][0] + path[1][0]) / 2, (path[0][1] + path[1][1]) / 2)
        assert not point_in_ring(mid, ring)
        assert all(town_of(p, towns) for p in path), f"flow path of {code} leaves the county"
        for m in mines:
            assert rings_disjoint(ring, m["ring"]), f"pond {code} overlaps mine {m['name']}"
        for r in rights:
            for outer in r["lonlat_outers"]:
                assert rings_disjoint(ring, outer), f"pond {code} overlaps licence {r['licence']}"
        length = polyline_length([frame.to_m(p) for p in path])
        assert 2000 <= length <= 3000, f"flow path of {code}: {length:.0f} m"
        ponds.append({"code": code, "name": name, "operator": operator, "status": status, "disused": disused,
                      "storage": storage, "dam_h": dam_h, "town": town_name, "ring": ring, "toe": toe,
                      "path": path, "frame": frame, "area": area, "length": length})
    return ponds


def write_ponds(w: Writer, ponds):
    w.shapefile(OUT / "tailings_ponds.shp", [
        ({"BM": p["code"], "MC": p["name"], "QYMC": p["operator"], "ZT": p["status"], "TYRQ": iso(p["disused"]),
          "ZKR": p["storage"], "BG": p["dam_h"], "SSZJ": p["town"]}, polygon(p["ring"])) for p in ponds],
        "POLYGON", CGCS2000, UTF8, numeric={"ZKR": (10, 1), "BG": (6, 1)})
    w.shapefile(OUT / "tailings_flow_paths.shp", [({"BM": p["code"]}, linestring(p["path"])) for p in ponds],
                "LINESTRING", CGCS2000, UTF8)
    w.shapefile(OUT / "tailings_dam_toes.shp", [({"BM": p["code"]}, point(p["toe"])) for p in ponds],
                "POINT", CGCS2000, UTF8)


# --------------------------------------------------------------------------------------------
# g. Facilities (RFC 7946 GeoJSON, WGS84 lon/lat).
# --------------------------------------------------------------------------------------------

# Placed relative to a pond's flow path: pond, distance along the path from the toe (m),
# offset from the path (m, + = left of the flow direction), name, kind, population.
FACILITIES_ON_PATHS = [
    ("YC-TP-01", 450, 40, "何埂镇黄桷小学", "学校", 420),  # 头顶库: 450 m downstream
    ("YC-TP-04", 800, -70, "宝峰镇高洞村七组", "居民点", 180),  # 头顶库: 800 m downstream
    ("YC-TP-03", 1500, 50, "临江镇合兴村三组", "居民点", 95),  # ~600 m straight, 1.5 km along the bend
    ("YC-TP-06", 2000, 60, "临江镇清江村二组", "居民点", 260),  # downstream but 2 km away
]

FACILITIES_ELSEWHERE = [  # name, kind, lon, lat, population
    ("临江镇中心小学", "学校", 106.025, 29.405, 1260),
    ("红炉镇卫生院", "医院", 105.775, 29.262, None),
    ("双石镇顺发页岩砖厂", "工厂", 105.770, 29.370, None),
    ("宝峰镇永兴机械厂", "工厂", 106.065, 29.255, None),
    ("双石场镇", "居民点", 105.818, 29.448, 2800),
    ("临江场镇", "居民点", 106.010, 29.425, 3600),
    ("何埂场镇", "居民点", 105.935, 29.205, 2500),
    ("宝峰场镇", "居民点", 106.030, 29.265, 3100),
    ("红炉场镇", "居民点", 105.790, 29.245, 2300),
    ("金竹村五组", "居民点", 105.752, 29.340, 140),
    ("龙井村三组", "居民点", 105.790, 29.165, 120),
]


def make_facilities(towns, ponds):
    facilities = []
    by_code = {p["code"]: p for p in ponds}
    for code, along, offset, name, kind, population in FACILITIES_ON_PATHS:
        pond = by_code[code]
        frame = pond["frame"]
        (x, y), (dx, dy) = point_along([frame.to_m(p) for p in pond["path"]], along)
        facilities.append({"name": name, "kind": kind, "population": population,
                           "lonlat": rdeg(frame.to_deg((x - dy * offset, y + dx * offset))), "pond": code})
    for name, kind, lon, lat, population in FACILITIES_ELSEWHERE:
        facilities.append({"name": name, "kind": kind, "population": population, "lonlat": (lon, lat), "pond": None})
    for f in facilities:
        assert town_of(f["lonlat"], towns), f"{f['name']} is outside the county"
    assert len({f["name"] for f in facilities}) == len(facilities)
    return facilities


def downstream_report(ponds, facilities):
    """For every pond and facility: distance along the flow path (from the toe) to the path point
    nearest the facility, the facility's distance from the path and straight from the toe."""
    rows = []
    for pond in ponds:
        frame = pond["frame"]
        path_m = [frame.to_m(p) for p in pond["path"]]
        for f in facilities:
            p = frame.to_m(f["lonlat"])
            along, off = project_on_polyline(p, path_m)
            rows.append((pond["code"], f["name"], along, off, math.dist(p, path_m[0]), f["pond"] == pond["code"]))
    return rows


def check_downstream(ponds, facilities):
    """头顶库 rule: a 居民点/学校 within 1 km along the path from the toe and within 100 m of it."""
    head_ponds = set()
    for code, name, along, off, straight, designed in downstream_report(ponds, facilities):
        if designed:
            assert off <= 100, f"{name} is {off:.0f} m from the path of {code}"
            if along <= 1000 and off <= 100:
                head_ponds.add(code)
            if code == "YC-TP-03":
                assert 540 <= straight <= 680 and 1450 <= along <= 1550, (straight, along)
                pond = next(p for p in ponds if p["code"] == code)
                frame = pond["frame"]
                path_m = [frame.to_m(p) for p in pond["path"]]
                walked, first_km = 0.0, [path_m[0]]
                for a, b in zip(path_m, path_m[1:]):
                    walked += math.dist(a, b)
                    if walked > 1000:
                        break
                    first_km.append(b)
                village = frame.to_m(next(f["lonlat"] for f in facilities if f["name"] == name))
                assert project_on_polyline(village, first_km)[1] > 300, "village too close to the first km"
        else:
            assert off > 1000 and straight > 1000, f"{name} is {off:.0f} m from the flow path of {code}"
    assert head_ponds == {"YC-TP-01", "YC-TP-04"}, head_ponds


def write_facilities(w: Writer, facilities):
    w.geojson_rfc7946(OUT / "facilities.geojson", [
        ({"name": f["name"], "kind": f["kind"], "population": f["population"]}, point(f["lonlat"])) for f in facilities])


# --------------------------------------------------------------------------------------------
# h. GPX tracks: 5 s fixes with ±3 m noise.
# --------------------------------------------------------------------------------------------

FIX_SECONDS = 5


@dataclass
class Track:
    """Simulated GPS recording in a metric plane: true motion plus ±3 m noise per fix."""

    rng: random.Random
    time: datetime
    pos: tuple
    ele: float
    fixes: list = field(default_factory=list)
    truth: list = field(default_factory=list)

    def emit(self, xy, ele):
        r, a = 3.0 * math.sqrt(self.rng.random()), self.rng.uniform(0, 2 * math.pi)
        self.fixes.append((self.time, (xy[0] + r * math.cos(a), xy[1] + r * math.sin(a)),
                           ele + self.rng.uniform(-1.5, 1.5)))
        self.truth.append((self.time, xy))
        self.time += timedelta(seconds=FIX_SECONDS)

    def move(self, waypoints, speed, end_ele, accel=None, decel=None, start_speed=None):
        """Moves through the waypoints; cruise speed ±5 %, optional acceleration from start_speed
        and deceleration to a stop at the end (m/s²). Elevation changes linearly."""
        line = [self.pos] + list(waypoints)
        total = polyline_length(line)
        v0 = speed if start_speed is None else start_speed
        s, start_ele = 0.0, self.ele
        while True:
            v = speed * self.rng.uniform(0.95, 1.05)
            if accel:
                v = min(v, math.sqrt(v0**2 + 2 * accel * s) + 0.5)
            if decel:
                v = min(v, max(1.0, math.sqrt(2 * decel * max(0.0, total - s))))
            s += v * FIX_SECONDS
            if s >= total:
                break
            self.emit(point_along(line, s)[0], start_ele + (end_ele - start_ele) * s / total)
        self.pos, self.ele = line[-1], end_ele

    def stay(self, seconds, wander, step):
        """Stands (or works) around the current position for the given time."""
        cx, cy = self.pos
        dx = dy = 0.0
        for _ in range(int(seconds // FIX_SECONDS) + 1):
            dx += self.rng.uniform(-step, step)
            dy += self.rng.uniform(-step, step)
            r = math.hypot(dx, dy)
            if r > wander:
                dx, dy = dx * wander / r, dy * wander / r
            self.emit((cx + dx, cy + dy), self.ele)


def gpx_text(name, fixes_lonlat, creator):
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gpx version="1.1" creator="{creator}" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">',
        "  <metadata>",
        f"    <name>{name}</name>",
        f"    <time>{fixes_lonlat[0][0].strftime('%Y-%m-%dT%H:%M:%SZ')}</time>",
        "  </metadata>",
        "  <trk>",
        f"    <name>{name}</name>",
        "    <trkseg>",
    ]
    for t, (lon, lat), ele in fixes_lonlat:
        lines.append(f'      <trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{ele:.1f}</ele>'
                     f"<time>{t.strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>")
    lines += ["    </trkseg>", "  </trk>", "</gpx>", ""]
    return "\n".join(lines)


def write_gpx(path: Path, name, fixes_lonlat, creator="GeoMine Patrol (simulated phone GPS, sample data)"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(gpx_text(name, fixes_lonlat, creator), encoding="utf-8", newline="\n")


def stops_near(fixes_m, target, radius):
    """Longest run of consecutive fixes within radius of target: (seconds, count)."""
    best, run_start, count = (0, 0), None, 0
    for t, p, _ in fixes_m:
        if math.dist(p, target) <= radius:
            run_start = run_start or t
            count += 1
            best = max(best, ((t - run_start).total_seconds(), count))
        else:
            run_start, count = None, 0
    return best


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def offset_toward(p, q, metres):
    d = math.dist(p, q)
    return (p[0] + (q[0] - p[0]) * metres / d, p[1] + (q[1] - p[1]) * metres / d)


def make_track_honglu(shafts):
    """Walking patrol at 吊水洞煤矿: stops of 4, 4.5 and 6 minutes at its three shafts."""
    mine_shafts = [s for s in shafts if s["mine"]["code"] == "YC-CM-001"]
    frame = mine_shafts[0]["mine"]["frame"]
    targets = [frame.to_m(s["lonlat"]) for s in mine_shafts]
    rng = random.Random(SEED + 7)
    parking = (-520.0, -380.0)  # village road south-west of the mine
    track = Track(rng, utc(2026, 11, 2, 1, 12, 0), parking, 318.0)
    track.stay(40, 2, 0.5)
    here = parking
    for shaft, target, minutes in zip(mine_shafts, targets, (4, 4.5, 6)):
        stand = offset_toward(target, here, 2.5)  # stands 2.5 m from the shaft, on the side he came from
        bend = ((here[0] + stand[0]) / 2 + rng.uniform(-40, 40), (here[1] + stand[1]) / 2 + rng.uniform(-40, 40))
        track.move([bend, stand], 1.2, shaft["elevation"])
        track.stay(minutes * 60, 3, 0.8)
        here = stand
    track.move([((here[0] + parking[0]) / 2 + 30, (here[1] + parking[1]) / 2 - 25), parking], 1.2, 318.0)
    track.stay(30, 2, 0.5)
    for shaft, target in zip(mine_shafts, targets):
        seconds, _ = stops_near(track.fixes, target, 20)
        assert seconds >= 180, f"hongLu: only {seconds} s at {shaft['code']}"
    for s in shafts:
        if s not in mine_shafts:
            assert min(metres_between(frame.to_deg(p), s["lonlat"]) for _, p, _ in track.fixes) > 500
    write_gpx(TRACKS / "patrol_2026-11-02_hongLu.gpx", "红炉镇 吊水洞煤矿 井口巡查",
              [(t, rdeg(frame.to_deg(p)), e) for t, p, e in track.fixes])
    return [s["code"] for s in mine_shafts]


def make_track_shuangshi(shafts):
    """Vehicle: drives past a 中心桥煤矿 shaft at 10 m/s (closest ~15 m), then a 5-minute stop at
    a 大安煤矿 shaft, then drives on."""
    a_mine = [s for s in shafts if s["mine"]["code"] == "YC-CM-002"]
    b_shaft = next(s for s in shafts if s["code"] == "YC-CM-006-J1")
    frame = a_mine[0]["mine"]["frame"]
    # the 中心桥 shaft farthest from the other shafts of its mine is the one passed
    a_shaft = max(a_mine, key=lambda s: min(metres_between(s["lonlat"], o["lonlat"]) for o in a_mine if o is not s))
    A, B = frame.to_m(a_shaft["lonlat"]), frame.to_m(b_shaft["lonlat"])
    out = A  # unit vector from the mine centre (0, 0) to the shaft: the road passes on the outer side
    n = (out[0] / math.hypot(*out), out[1] / math.hypot(*out))
    t = (-n[1], n[0])
    if t[0] * (B[0] - A[0]) + t[1] * (B[1] - A[1]) < 0:
        t = (-t[0], -t[1])
    lateral = 15.0

    def road(s, side=0.0):
        return (A[0] + lateral * n[0] + s * t[0] + side * n[0], A[1] + lateral * n[1] + s * t[1] + side * n[1])

    start = road(-1500, 250)
    b_stop = offset_toward(B, A, 8)  # parked 8 m from the shaft
    bend = ((road(300)[0] + b_stop[0]) / 2 + 120 * n[0], (road(300)[1] + b_stop[1]) / 2 + 120 * n[1])
    rng = random.Random(SEED + 8)
    track = Track(rng, utc(2026, 11, 9, 6, 5, 0), start, 352.0)
    track.stay(20, 1, 0.2)
    track.move([road(-700, 60), road(-250), road(300)], 10.0, 366.0, accel=1.5, start_speed=0.0)
    track.move([bend, b_stop], 10.0, b_shaft["elevation"] - 1.0, decel=2.0)
    track.stay(300, 1.5, 0.3)
    away = (b_stop[0] + 400 * n[0] - 350 * t[0], b_stop[1] + 400 * n[1] - 350 * t[1])
    track.move([away], 10.0, 340.0, accel=1.5, start_speed=0.0)
    # checks: passes within 40 m of A at speed, 5-minute stop at B, no other shaft within 60 m
    near_a = [(i, math.dist(p, A)) for i, (_, p, _) in enumerate(track.fixes) if math.dist(p, A) <= 60]
    assert near_a and min(d for _, d in near_a) <= 35, near_a
    for i, _ in near_a:
        step = math.dist(track.truth[i][1], track.truth[i - 1][1])
        assert step >= 40, f"the vehicle slows down near {a_shaft['code']}"
    seconds, _ = stops_near(track.fixes, B, 20)
    assert seconds >= 300, seconds
    for s in shafts:
        if s is not a_shaft and s is not b_shaft:
            assert min(metres_between(frame.to_deg(p), s["lonlat"]) for _, p, _ in track.fixes) > 60, s["code"]
    write_gpx(TRACKS / "patrol_2026-11-09_shuangShi.gpx", "双石镇 巡查车辆",
              [(t, rdeg(frame.to_deg(p)), e) for t, p, e in track.fixes])
    return a_shaft["code"], round(min(d for _, d in near_a), 1), b_shaft["code"]


def make_track_excavator(rights):
    """An excavator works inside 金石石灰岩矿, crawls ~150 m beyond the north edge of the licence
    for 30 minutes, then returns. Positions in EPSG:4544 metres, converted with cs2cs."""
    licence = next(r for r in rights if r["licence"] == EXCAVATOR_LICENCE)
    ring = licence["blocks"][0][0]
    centre = lonlat_to_gk([DISTRICTS[licence["district"]]], GK_CM_105)[0]
    # the edge facing away from the district: outward normal points away from the district centre
    sign = 1 if sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in edges(ring)) > 0 else -1  # +1: counter-clockwise

    def outward(a, b):
        d = math.dist(a, b)
        return (sign * (b[1] - a[1]) / d, -sign * (b[0] - a[0]) / d)

    a, b = max((e for e in edges(ring) if math.dist(*e) > 300), key=lambda e: (
        outward(*e)[0] * ((e[0][0] + e[1][0]) / 2 - centre[0]) + outward(*e)[1] * ((e[0][1] + e[1][1]) / 2 - centre[1])))
    mid, nrm = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), outward(a, b)
    work_in = (mid[0] - 120 * nrm[0], mid[1] - 120 * nrm[1])
    work_out = (mid[0] + 150 * nrm[0], mid[1] + 150 * nrm[1])
    assert point_in_ring(work_in, ring) and distance_to_ring(work_in, ring) >= 80
    assert not point_in_ring(work_out, ring) and 140 <= distance_to_ring(work_out, ring) <= 160
    for r in rights:
        for block in r["blocks"]:
            if r is not licence:
                assert not point_in_ring(work_out, block[0]) and distance_to_ring(work_out, block[0]) > 300
    rng = random.Random(SEED + 9)
    track = Track(rng, utc(2026, 11, 10, 0, 30, 0), work_in, 452.0)
    track.stay(60 * 60, 10, 1.2)
    track.move([work_out], 0.9, 458.0)
    track.stay(30 * 60, 10, 1.2)
    track.move([work_in], 0.9, 452.0)
    track.stay(20 * 60, 10, 1.2)
    assert all(licence["lower"] < e < licence["upper"] for _, _, e in track.fixes)
    outside = [t for t, p, _ in track.fixes if not point_in_ring(p, ring)]
    lonlat = gk_to_lonlat([p for _, p, _ in track.fixes], GK_CM_105)
    write_gpx(TRACKS / "excavator_2026-11-10.gpx", "挖掘机 WJ-07 (何埂镇)",
              [(t, rdeg(ll), e) for (t, _, e), ll in zip(track.fixes, lonlat)],
              creator="GeoMine equipment tracker (simulated GPS, sample data)")
    return licence["licence"], len(outside) * FIX_SECONDS / 60, distance_to_ring(work_out, ring)


# --------------------------------------------------------------------------------------------
# Test fixtures: broken closed-mine shapefiles.
# --------------------------------------------------------------------------------------------


def make_broken(w: Writer, mines):
    shutil.rmtree(BROKEN, ignore_errors=True)
    first = mines[:3]

    # missing .shx: two valid mines, then the index is deleted
    shp = BROKEN / "missing_shx" / "closed_mines.shp"
    w.shapefile(shp, [(mine_properties(m), polygon(m["ring"])) for m in mines[:2]], "POLYGON", CGCS2000, GBK)
    shp.with_suffix(".shx").unlink()

    # feature 2 is a bow-tie (self-intersecting) polygon
    frame = first[1]["frame"]
    bow_tie = close([rdeg(frame.to_deg(p)) for p in [(-300, -300), (300, 300), (300, -300), (-300, 300)]])
    w.shapefile(BROKEN / "self_intersecting" / "closed_mines.shp",
                [(mine_properties(first[0]), polygon(first[0]["ring"])),
                 (mine_properties(first[1]), polygon(bow_tie)),
                 (mine_properties(first[2]), polygon(first[2]["ring"]))], "POLYGON", CGCS2000, GBK)

    # points where polygons are expected
    w.shapefile(BROKEN / "wrong_type" / "closed_mines.shp",
                [(mine_properties(m), point(rdeg(m["frame"].to_deg((0.0, 0.0))))) for m in first],
                "POINT", CGCS2000, GBK)

    # valid polygons without a .prj
    w.shapefile(BROKEN / "no_prj" / "closed_mines.shp",
                [(mine_properties(m), polygon(m["ring"])) for m in first], "POLYGON", CGCS2000, GBK, prj=False)


# --------------------------------------------------------------------------------------------
# Checks with GDAL on the written files.
# --------------------------------------------------------------------------------------------


def ogr_sql(path: Path, sql: str) -> list[str]:
    # quiet: GEOS reports the expected self-intersection of the broken fixture on stderr
    out = run(["ogrinfo", "-ro", "-q", "-dialect", "sqlite", "-sql", sql, str(path)], quiet=True)
    return [line.split("=", 1)[1].strip() for line in out.splitlines() if "=" in line and "(" in line]


def check_files():
    for name in ["towns", "villages", "closed_mines", "mining_rights", "tailings_ponds"]:
        shp = OUT / f"{name}.shp"
        invalid = ogr_sql(shp, f"SELECT count(*) AS n FROM {name} WHERE NOT ST_IsValid(geometry)")
        assert invalid == ["0"], f"{name}: invalid polygons"
    # towns: no overlaps, no gaps (the union is one polygon without holes, same area as the sum)
    union_area, total, parts, holes = map(float, ogr_sql(OUT / "towns.shp",
        "SELECT ST_Area(ST_Union(geometry)) AS u, SUM(ST_Area(geometry)) AS s, "
        "ST_NumGeometries(ST_Union(geometry)) AS g, ST_NumInteriorRing(ST_Union(geometry)) AS h FROM towns"))
    assert abs(union_area - total) < 1e-10 and parts == 1 and holes == 0, (union_area, total, parts, holes)
    overlaps = ogr_sql(OUT / "towns.shp",
        "SELECT count(*) AS n FROM towns a, towns b WHERE a.rowid < b.rowid AND ST_Overlaps(a.geometry, b.geometry)")
    assert overlaps == ["0"]
    overlaps = ogr_sql(OUT / "mining_rights.shp",
        "SELECT count(*) AS n FROM mining_rights a, mining_rights b "
        "WHERE a.rowid < b.rowid AND ST_Intersects(a.geometry, b.geometry)")
    assert overlaps == ["0"]
    # GBK files must not pass as UTF-8 (the importer sniffs the DBF records)
    for shp in [OUT / "towns.shp", OUT / "closed_mines.shp", OUT / "sealed_shafts.shp"]:
        data = shp.with_suffix(".dbf").read_bytes()
        assert data[29] == 0 and not shp.with_suffix(".cpg").exists()
        header_length = int.from_bytes(data[8:10], "little")
        try:
            data[header_length:].decode("utf-8")
            raise AssertionError(f"{shp.name}: GBK records decode as UTF-8")
        except UnicodeDecodeError:
            pass
    bad = ogr_sql(BROKEN / "self_intersecting" / "closed_mines.shp",
                  "SELECT group_concat(rowid) AS r FROM closed_mines WHERE NOT ST_IsValid(geometry)")
    assert bad == ["1"], bad  # rowid is 0-based: feature 2


# --------------------------------------------------------------------------------------------


def clean_outputs():
    for ext in SHAPEFILE_PARTS:
        for f in OUT.glob(f"*{ext}"):
            f.unlink()
    (OUT / "facilities.geojson").unlink(missing_ok=True)
    for f in TRACKS.glob("*.gpx"):
        f.unlink()
    shutil.rmtree(BROKEN, ignore_errors=True)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    clean_outputs()
    with tempfile.TemporaryDirectory(prefix="geomine-sample-") as tmp:
        w = Writer(Path(tmp))
        towns = make_towns()
        villages = make_villages(towns)
        mines = make_mines(towns)
        shafts = make_shafts(mines)
        rights = make_mining_rights(towns, mines)
        ponds = make_ponds(towns, mines, rights)
        facilities = make_facilities(towns, ponds)
        check_downstream(ponds, facilities)

        write_towns(w, towns)
        write_villages(w, villages)
        write_mines(w, mines)
        write_shafts(w, shafts)
        write_mining_rights(w, rights)
        write_ponds(w, ponds)
        write_facilities(w, facilities)
        honglu = make_track_honglu(shafts)
        shuangshi = make_track_shuangshi(shafts)
        excavator = make_track_excavator(rights)
        make_broken(w, mines)
    check_files()

    print(f"towns {len(towns)}, villages {len(villages)}, closed mines {len(mines)}, shafts {len(shafts)}, "
          f"mining rights {len(rights)}, ponds {len(ponds)}, facilities {len(facilities)}")
    for r in rights:
        print(f"  licence {r['licence']} {r['mine_name']} {r['area']:.2f} km² blocks={len(r['blocks'])} "
              f"holes={sum(len(b) - 1 for b in r['blocks'])} {r['from']}..{r['to']} {r['lower']}..{r['upper']} m")
    for p in ponds:
        print(f"  pond {p['code']} {p['status']} {p['area']:.3f} km², flow path {p['length']:.0f} m")
    for code, name, along, off, straight, designed in downstream_report(ponds, facilities):
        if designed:
            print(f"  {code}: {name} {along:.0f} m along the path, {off:.0f} m from it, {straight:.0f} m from the toe")
    print(f"  hongLu patrol stops at {', '.join(honglu)}")
    print(f"  shuangShi patrol passes {shuangshi[0]} at {shuangshi[1]} m without stopping, stops at {shuangshi[2]}")
    print(f"  excavator in {excavator[0]}: {excavator[1]:.0f} min outside, work spot {excavator[2]:.0f} m beyond the edge")


if __name__ == "__main__":
    main()
