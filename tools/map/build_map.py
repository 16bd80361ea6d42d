#!/usr/bin/env python3
"""Builds the console's offline region map from hand-thinned transcriptions of geoBoundaries ADM1 files.

Input: tools/map/transcribed/<CC>.txt, one per country, in a small line format:
    F               starts a feature            P   starts a polygon (outer ring)
    H               starts a hole in it         N <code> <source name...>   names the current feature
    lon,lat lon,lat ...                         vertices of the current ring, WGS 84 degrees
    # ...           comment
Rings are closed here; vertices are rounded, snapped across neighbouring regions (so shared borders meet),
thinned with Douglas-Peucker and oriented as RFC 7946 asks (outer counter-clockwise, holes clockwise).
Region codes and names come from the reference list (regions.csv); RENAMES maps the few codes the source spells
differently; SPLITS and CITIES derive the regions created after the source's boundary year (approximate, see
services/alert/src/main/resources/console/map/README.md).
Output: services/alert/src/main/resources/console/map/central-asia-adm1.geojson.
Nothing is downloaded: the script only reads files of this repository. Run: python3 tools/map/build_map.py
[check.png [west,south,east,north]] (the optional picture is a quick visual check; it is not shipped).
"""
import json
import math
import os
import struct
import sys
import zlib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SOURCE_DIR = os.path.join(ROOT, "tools", "map", "transcribed")
REGIONS_CSV = os.path.join(ROOT, "services", "common", "src", "main", "resources", "org", "borderwatch",
                           "service", "region", "regions.csv")
OUTPUT = os.path.join(ROOT, "services", "alert", "src", "main", "resources", "console", "map",
                      "central-asia-adm1.geojson")
COUNTRIES = ["AF", "TJ", "UZ", "KG", "KZ", "TM"]
ATTRIBUTION = ("Boundaries: \u00a9 OpenStreetMap contributors (ODbL) and Wikimedia Commons (public domain), via "
               "geoBoundaries (Runfola et al. 2020); simplified by borderwatch, some regions approximate")
DECIMALS = 2
SNAP = 0.025        # degrees: vertices of different regions closer than this become one (about 2.5 km)
TOLERANCE = 0.03    # degrees: Douglas-Peucker tolerance (about one pixel at 1366 px for the whole area)
MIN_AREA = 0.0004   # square degrees: smaller extra rings (slivers, islets) are dropped

# Codes the source spells differently from ISO 3166-2 as the reference list has it (source -> reference).
RENAMES = {"AF_KAN": "AF-KAN", "AF-BDN": "AF-BDS",
           # Kazakhstan: the source has the old letter codes; ISO 3166-2 now uses the numeric ones.
           "KZ-AKM": "KZ-11", "KZ-AKT": "KZ-15", "KZ-ALM": "KZ-19", "KZ-ATY": "KZ-23", "KZ-ZAP": "KZ-27",
           "KZ-ZHA": "KZ-31", "KZ-KAR": "KZ-35", "KZ-KUS": "KZ-39", "KZ-KZY": "KZ-43", "KZ-MAN": "KZ-47",
           "KZ-PAV": "KZ-55", "KZ-SEV": "KZ-59", "KZ-YUZ": "KZ-61", "KZ-VOS": "KZ-63", "KZ-AST": "KZ-71",
           "KZ-ALA": "KZ-75"}

# Regions created after the source's boundary year (Kazakhstan, 2018 and 2022). The source still has their
# territory inside the parent region, so they are cut out of it along an APPROXIMATE line drawn by hand after
# the 2022 district boundaries, checked against the official areas (see README.md). Each entry: parent code,
# new code, the cut (a polyline that enters and leaves the parent exactly once; lon, lat), and a point known
# to lie in the new region (a town other than its capital) that tells which side is which.
SPLITS = [
    # Ulytau (Zhezkazgan, Satpayev, Karazhal; Ulytau and Zhanaarka districts) out of Karaganda, 2022.
    ("KZ-35", "KZ-62", [(69.90, 50.60), (69.75, 49.95), (70.10, 49.55), (70.70, 49.30), (71.60, 49.00),
                        (71.60, 48.40), (70.90, 47.80), (70.30, 47.30), (70.00, 46.50), (70.20, 45.00)], (67.00, 48.65)),
    # Abai (Semey, Kurchatov; Abai, Ayagoz, Beskaragai, Borodulikha, Zharma, Kokpekti, Urzhar, Makanshy,
    # Aksuat districts) out of East Kazakhstan, 2022.
    ("KZ-63", "KZ-10", [(81.20, 51.40), (81.45, 50.95), (81.80, 50.55), (82.05, 50.10), (82.20, 49.60),
                        (82.50, 49.25), (82.90, 48.85), (83.00, 48.30), (82.95, 47.95), (83.30, 47.55),
                        (83.20, 46.70)], (80.43, 47.96)),
    # Jetisu (Taldykorgan, Tekeli; Aksu, Alakol, Eskeldi, Karatal, Kerbulak, Koksu, Panfilov, Sarkand
    # districts) out of Almaty region, 2022.
    ("KZ-19", "KZ-33", [(76.10, 47.30), (76.05, 46.30), (76.40, 45.30), (77.00, 44.50), (78.10, 44.10),
                        (79.30, 43.90), (80.00, 43.75), (80.80, 44.00)], (77.98, 45.25)),
]
# Cities made regions of their own after the source's boundary year, shown as a disc of the city's official
# area around its centre (the source has no city limits for them): code -> parent, centre (lon, lat), km2.
CITIES = {"KZ-79": ("KZ-61", (69.60, 42.32), 1170.0),   # Shymkent, a region of its own since 2018
          "KG-GB": ("KG-C", (74.59, 42.87), 170.0),     # Bishkek (the source keeps it inside Chuy)
          "KG-GO": ("KG-O", (72.80, 40.53), 182.0)}     # Osh city (the source keeps it inside Osh region)


def read_regions():
    regions = {}
    with open(REGIONS_CSV, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or line.startswith("code,"):
                continue
            code, name, country, lat, lon = line.split(",")
            regions[code] = {"name": name, "country": country, "lat": float(lat), "lon": float(lon)}
    return regions


def parse(path):
    features, feature, ring = [], None, None
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line == "F":
                feature = {"code": None, "polygons": []}
                features.append(feature)
            elif line == "P":
                ring = []
                feature["polygons"].append([ring])
            elif line == "H":
                ring = []
                feature["polygons"][-1].append(ring)
            elif line.startswith("N "):
                parts = line.split(" ", 2)
                feature["code"] = parts[1]
                feature["source_name"] = parts[2] if len(parts) > 2 else ""
            else:
                for pair in line.split():
                    lon, lat = pair.split(",")
                    ring.append((float(lon), float(lat)))
    for feature in features:
        if not feature["code"]:
            sys.exit(f"{path}: a feature has no N line")
    return features


def area(ring):
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        s += x1 * y2 - x2 * y1
    return s / 2


def dedupe(ring):
    out = []
    for p in ring:
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def douglas_peucker(points, tolerance):
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = math.hypot(dx, dy)
    best, index = -1.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        d = abs(dy * (px - x1) - dx * (py - y1)) / norm if norm else math.hypot(px - x1, py - y1)
        if d > best:
            best, index = d, i
    if best <= tolerance:
        return [points[0], points[-1]]
    return douglas_peucker(points[:index + 1], tolerance)[:-1] + douglas_peucker(points[index:], tolerance)


def thin(ring, tolerance, keep):
    # Split the closed ring at its two farthest-apart vertices so DP has stable anchors; vertices in `keep`
    # (shared by several regions) always stay, so neighbours keep the same junctions.
    n = len(ring)
    anchors = sorted({i for i, p in enumerate(ring) if p in keep} | {0, max(range(n), key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2)})
    out = []
    for a, b in zip(anchors, anchors[1:] + [anchors[0] + n]):
        segment = [ring[i % n] for i in range(a, b + 1)]
        out.extend(douglas_peucker(segment, tolerance)[:-1])
    return out


def inside(point, ring):
    x, y = point
    result = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            result = not result
    return result


def crossing(p, q, a, b):
    """Where segment p-q crosses segment a-b: (t along p-q, point) or None."""
    rx, ry = q[0] - p[0], q[1] - p[1]
    sx, sy = b[0] - a[0], b[1] - a[1]
    denominator = rx * sy - ry * sx
    if denominator == 0:
        return None
    t = ((a[0] - p[0]) * sy - (a[1] - p[1]) * sx) / denominator
    u = ((a[0] - p[0]) * ry - (a[1] - p[1]) * rx) / denominator
    if 0 <= t < 1 and 0 <= u < 1:
        return t, (p[0] + t * rx, p[1] + t * ry)
    return None


def split(feature, new_code, line, probe):
    """Cuts `feature` along `line`; returns the new feature (the side holding `probe`), shrinking the old one."""
    kept, taken = [], []
    for polygon in feature["polygons"]:
        outer = polygon[0]
        n = len(outer)
        hits = []
        for k, (p, q) in enumerate(zip(line, line[1:])):
            for i in range(n):
                c = crossing(p, q, outer[i], outer[(i + 1) % n])
                if c:
                    hits.append((k + c[0], c[1], i))
        if not hits:
            (taken if inside(probe, outer) else kept).append(polygon)
            continue
        if len(hits) != 2:
            sys.exit(f"cut {new_code}: crosses {feature['code']} {len(hits)} times, must be twice")
        (t1, a, i), (t2, b, j) = sorted(hits)
        middle = [line[k] for k in range(int(t1) + 1, int(t2) + 1)]
        first = [a] + [outer[(i + 1 + k) % n] for k in range((j - i) % n)] + [b] + middle[::-1]
        second = [b] + [outer[(j + 1 + k) % n] for k in range((i - j) % n)] + [a] + middle
        pieces = [[first], [second]]
        for hole in polygon[1:]:
            (pieces[0] if inside(hole[0], first) else pieces[1]).append(hole)
        new, old = (pieces[0], pieces[1]) if inside(probe, first) else (pieces[1], pieces[0])
        taken.append(new)
        kept.append(old)
    if not taken:
        sys.exit(f"cut {new_code}: no part of {feature['code']} is on the side of {probe}")
    feature["polygons"] = kept
    return {"code": new_code, "polygons": taken, "country": feature["country"], "source_name": "(derived)"}


def disc(centre, km2, sides=16):
    radius = math.sqrt(km2 / math.pi)
    lon, lat = centre
    dlat = radius / 111.32
    dlon = radius / (111.32 * math.cos(math.radians(lat)))
    return [(lon + dlon * math.cos(2 * math.pi * k / sides), lat + dlat * math.sin(2 * math.pi * k / sides))
            for k in range(sides)]


def km2(feature):
    total = 0.0
    for polygon in feature["polygons"]:
        for r, ring in enumerate(polygon):
            lat = sum(p[1] for p in ring) / len(ring)
            a = abs(area(ring)) * 111.32 ** 2 * math.cos(math.radians(lat))
            total += a if r == 0 else -a
    return total


def build():
    regions = read_regions()
    features = []
    for country in COUNTRIES:
        path = os.path.join(SOURCE_DIR, country + ".txt")
        if os.path.exists(path):
            for feature in parse(path):
                feature["code"] = RENAMES.get(feature["code"], feature["code"])
                feature["country"] = country
                features.append(feature)
    by_code = {f["code"]: f for f in features}
    for parent, new_code, line, probe in SPLITS:
        if parent in by_code:
            by_code[new_code] = split(by_code[parent], new_code, line, probe)
            features.append(by_code[new_code])
            print(f"{new_code} cut out of {parent}: {km2(by_code[new_code]):,.0f} km2, "
                  f"{parent} keeps {km2(by_code[parent]):,.0f} km2")
    for code, (parent, centre, size) in CITIES.items():
        if parent in by_code:
            ring = disc(centre, size)
            for polygon in by_code[parent]["polygons"]:
                if inside(centre, polygon[0]):
                    polygon.append(ring[::-1])
            features.append({"code": code, "polygons": [[ring]], "country": by_code[parent]["country"],
                             "source_name": "(derived)"})
    # Round, then snap vertices of different regions that lie within SNAP of each other onto one position.
    grid, owners = {}, {}
    for feature in features:
        for polygon in feature["polygons"]:
            for r, ring in enumerate(polygon):
                snapped = []
                for lon, lat in ring:
                    p = (round(lon, DECIMALS), round(lat, DECIMALS))
                    cell = (int(math.floor(p[0] / SNAP)), int(math.floor(p[1] / SNAP)))
                    best = None
                    for gx in (cell[0] - 1, cell[0], cell[0] + 1):
                        for gy in (cell[1] - 1, cell[1], cell[1] + 1):
                            for q in grid.get((gx, gy), []):
                                d = math.hypot(q[0] - p[0], q[1] - p[1])
                                if d <= SNAP and owners[q] != feature["code"] and (best is None or d < best[0]):
                                    best = (d, q)
                    if best:
                        p = best[1]
                    else:
                        grid.setdefault(cell, []).append(p)
                        owners.setdefault(p, feature["code"])
                    snapped.append(p)
                polygon[r] = snapped
    shared = {}
    for feature in features:
        for polygon in feature["polygons"]:
            for ring in polygon:
                for p in set(ring):
                    shared.setdefault(p, set()).add(feature["code"])
    # Junctions: vertices where the set of regions sharing the border changes (or three regions meet).
    # They are kept, so each stretch of shared border is thinned between the same two anchors on both sides.
    junctions = {p for p, codes in shared.items() if len(codes) > 2}
    for feature in features:
        for polygon in feature["polygons"]:
            for ring in polygon:
                n = len(ring)
                for i, p in enumerate(ring):
                    if shared[p] != shared[ring[i - 1]] or shared[p] != shared[ring[(i + 1) % n]]:
                        junctions.add(p)
                if feature["code"] in CITIES:   # small discs: keep every vertex, on the city and on its parent's hole
                    junctions.update(p for ring in polygon for p in ring)
    out = []
    for feature in features:
        polygons = []
        for polygon in feature["polygons"]:
            rings = []
            for r, ring in enumerate(polygon):
                ring = dedupe(ring)
                if len(ring) >= 3:
                    ring = dedupe(thin(ring, TOLERANCE, junctions))
                if len(ring) < 3:
                    continue
                a = area(ring)
                if (r == 0) != (a > 0):
                    ring = ring[::-1]
                rings.append([list(p) for p in ring] + [list(ring[0])])
            if rings and len(rings[0]) >= 4:
                polygons.append(rings)
        polygons.sort(key=lambda p: -abs(area([tuple(x) for x in p[0][:-1]])))
        polygons = polygons[:1] + [p for p in polygons[1:] if abs(area([tuple(x) for x in p[0][:-1]])) >= MIN_AREA]
        code = feature["code"]
        if code not in regions:
            sys.exit(f"{code} ({feature.get('source_name')}) is not in the reference list")
        geometry = ({"type": "Polygon", "coordinates": polygons[0]} if len(polygons) == 1
                    else {"type": "MultiPolygon", "coordinates": polygons})
        out.append({"type": "Feature",
                    "properties": {"code": code, "name": regions[code]["name"], "country": regions[code]["country"]},
                    "geometry": geometry})
    order = list(regions)
    out.sort(key=lambda f: order.index(f["properties"]["code"]))
    collection = {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": out}
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    text = text.replace('{"type":"Feature"', '\n{"type":"Feature"')
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    points = sum(len(r) for f in out for p in polygons_of(f) for r in p)
    print(f"{OUTPUT}: {len(out)} regions, {points} points, {os.path.getsize(OUTPUT)} bytes")
    missing = sorted(set(regions) - {f["properties"]["code"] for f in out})
    if missing:
        print("regions without a shape:", " ".join(missing))
    return collection, regions


def polygons_of(feature):
    g = feature["geometry"]
    return [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]


def render(collection, regions, path, width=1366, bbox=None):
    """A check picture (PNG, no libraries): regions filled by country, borders dark, centres red.
    bbox (west, south, east, north) zooms in; by default the whole area is drawn."""
    lons = [x for f in collection["features"] for p in polygons_of(f) for r in p for x, _ in r]
    lats = [y for f in collection["features"] for p in polygons_of(f) for r in p for _, y in r]
    west, east, south, north = min(lons) - 0.5, max(lons) + 0.5, min(lats) - 0.5, max(lats) + 0.5
    if bbox:
        west, south, east, north = bbox
    k = math.cos(math.radians((south + north) / 2))
    scale = width / ((east - west) * k)
    height = int((north - south) * scale) + 1
    img = bytearray([255] * (width * height * 3))
    palette = {"AF": (200, 220, 170), "TJ": (240, 200, 150), "UZ": (170, 200, 235), "KG": (235, 180, 190),
               "KZ": (210, 200, 240), "TM": (180, 230, 220)}

    def xy(lon, lat):
        return (lon - west) * k * scale, (north - lat) * scale

    def put(x, y, c):
        if 0 <= x < width and 0 <= y < height:
            i = (y * width + x) * 3
            img[i:i + 3] = bytes(c)

    shade = 0
    for f in collection["features"]:
        shade = (shade + 1) % 3
        base = palette[f["properties"]["country"]]
        color = tuple(max(0, c - 18 * shade) for c in base)
        for polygon in polygons_of(f):
            edges = []
            for ring in polygon:
                pts = [xy(*p) for p in ring]
                edges += list(zip(pts, pts[1:]))
            ys = [p[1] for e in edges for p in e]
            for y in range(max(0, int(min(ys))), min(height, int(max(ys)) + 1)):
                yc = y + 0.5
                xs = sorted(x1 + (yc - y1) * (x2 - x1) / (y2 - y1) for (x1, y1), (x2, y2) in edges
                            if (y1 <= yc < y2) or (y2 <= yc < y1))
                for a, b in zip(xs[::2], xs[1::2]):
                    for x in range(int(a + 0.5), int(b + 0.5)):
                        put(x, y, color)
    for f in collection["features"]:
        for polygon in polygons_of(f):
            for ring in polygon:
                for (x1, y1), (x2, y2) in zip([xy(*p) for p in ring], [xy(*p) for p in ring[1:]]):
                    steps = int(max(abs(x2 - x1), abs(y2 - y1))) + 1
                    for s in range(steps + 1):
                        put(int(x1 + (x2 - x1) * s / steps), int(y1 + (y2 - y1) * s / steps), (60, 60, 60))
    for code, r in regions.items():
        x, y = xy(r["lon"], r["lat"])
        for dx in range(-2, 3):
            for dy in range(-2, 3):
                put(int(x) + dx, int(y) + dy, (220, 0, 0))
    raw = b"".join(b"\x00" + bytes(img[y * width * 3:(y + 1) * width * 3]) for y in range(height))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))
    print(f"{path}: {width}x{height}")


if __name__ == "__main__":
    collection, regions = build()
    if len(sys.argv) > 1:
        # python3 tools/map/build_map.py picture.png [west,south,east,north]
        box = tuple(float(v) for v in sys.argv[2].split(",")) if len(sys.argv) > 2 else None
        render(collection, regions, sys.argv[1], bbox=box)
