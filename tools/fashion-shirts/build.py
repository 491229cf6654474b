"""Builds hpsweep's embedded image data sets "fashion-shirts" and "fashion-pretrain" from
Fashion-MNIST (MIT licence, Copyright (c) 2017 Zalando SE) as shipped by Debian's package
dataset-fashion-mnist, into src/main/resources/datasets/<name>/.

The output is a pure function of the source files, whose content hashes are pinned below: images
are taken in their order in the official files before anything random happens, the shuffles use a
PRNG written here (splitmix64, not Python's random module, whose algorithms may change between
Python versions), and the gzip container is written by hand with a fixed header, so two runs
produce byte-identical files. Python 3 standard library only; run it through build.sh, which
installs the Debian package first.
"""

import hashlib
import os
import struct
import subprocess
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT_ROOT = os.path.join(REPO, "src", "main", "resources", "datasets")

SOURCE_DIR = "/usr/share/datasets/fashion-mnist"
DEBIAN_PACKAGE = "dataset-fashion-mnist"

# SHA-256 of the decompressed IDX files of dataset-fashion-mnist 0.0~git20200523.55506a9-1
# (the same content as upstream's files). A different source would silently give other images,
# so the build refuses it; update these only together with the regenerated data sets.
SOURCE_SHA256 = {
    "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}

# Fashion-MNIST's own label order.
FASHION_CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat",
                   "sandal", "shirt", "sneaker", "bag", "ankle-boot"]

SEED = 42
HEIGHT = WIDTH = 28
CHANNELS = 1
MAGIC = b"HPSWIMG1"

# name -> (Fashion-MNIST labels in our label order, train, validation, test per class).
# Train and validation come from the official train file without overlap, test from the official
# test file. fashion-pretrain keeps 750 of "about 1000" train images per class: at 1000 (8000
# images) its train file would be 3.3 MB gzipped, over the 3 MB a committed file may have;
# 750 gives about 2.5 MB.
DATASETS = {
    "fashion-shirts": ([0, 6], 500, 200, 200),
    "fashion-pretrain": ([1, 2, 3, 4, 5, 7, 8, 9], 750, 100, 100),
}
SPLITS = ["train", "validation", "test"]

MASK64 = (1 << 64) - 1


class SplitMix64:
    """splitmix64 (Steele, Lea, Flood 2014): 64-bit state, integer arithmetic only."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n):
        """Uniform in [0, n), by rejection so that no value is favoured."""
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            value = self.next_u64()
            if value < limit:
                return value % n


def shuffle_in_place(items, rng):
    for i in range(len(items) - 1, 0, -1):
        j = rng.below(i + 1)
        items[i], items[j] = items[j], items[i]


def read_source(name):
    path = os.path.join(SOURCE_DIR, name)
    with open(path, "rb") as f:
        data = zlib.decompress(f.read(), 16 + zlib.MAX_WBITS)
    digest = hashlib.sha256(data).hexdigest()
    if digest != SOURCE_SHA256[name]:
        sys.exit(f"{path}: decompressed SHA-256 is {digest}, expected {SOURCE_SHA256[name]}; "
                 "a different source would give different data sets")
    return data


def read_idx(images_name, labels_name):
    images = read_source(images_name)
    labels = read_source(labels_name)
    magic, count, rows, cols = struct.unpack(">IIII", images[:16])
    label_magic, label_count = struct.unpack(">II", labels[:8])
    if magic != 0x803 or label_magic != 0x801 or (rows, cols) != (HEIGHT, WIDTH) or count != label_count:
        sys.exit(f"unexpected IDX headers in {images_name} / {labels_name}")
    size = rows * cols
    pixels = [images[16 + i * size:16 + (i + 1) * size] for i in range(count)]
    return pixels, list(labels[8:8 + count])


def package_version():
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", DEBIAN_PACKAGE],
                              check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (dpkg-query failed)"


def gzip_deterministic(data):
    """gzip (RFC 1952) with a fixed header: MTIME 0, XFL 2 (best compression), OS 255, no name."""
    header = bytes([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0xFF])
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS, 9, zlib.Z_DEFAULT_STRATEGY)
    body = compressor.compress(data) + compressor.flush()
    trailer = struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    return header + body + trailer


def encode_split(examples):
    """HPSWIMG1 header, then per image C*H*W uint8 pixels and one uint8 label."""
    parts = [MAGIC, struct.pack(">IIII", len(examples), CHANNELS, HEIGHT, WIDTH)]
    for pixels, label in examples:
        parts.append(pixels)
        parts.append(bytes([label]))
    return b"".join(parts)


def write_atomically(path, content):
    temp = path + ".tmp"
    with open(temp, "wb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, path)


def build(name, source_labels, n_train, n_validation, n_test, train, test, excluded, version):
    train_pixels, train_labels = train
    test_pixels, test_labels = test
    rng = SplitMix64(SEED)
    splits = {s: [] for s in SPLITS}
    for our_label, source_label in enumerate(source_labels):
        # Ascending file order first, so the draw depends only on the files and the seed.
        pool = [i for i in range(len(train_labels)) if train_labels[i] == source_label and i not in excluded[0]]
        shuffle_in_place(pool, rng)
        if len(pool) < n_train + n_validation:
            sys.exit(f"{name}: only {len(pool)} train images of class {source_label}")
        splits["train"] += [(train_pixels[i], our_label) for i in pool[:n_train]]
        splits["validation"] += [(train_pixels[i], our_label) for i in pool[n_train:n_train + n_validation]]
        test_pool = [i for i in range(len(test_labels)) if test_labels[i] == source_label and i not in excluded[1]]
        shuffle_in_place(test_pool, rng)
        if len(test_pool) < n_test:
            sys.exit(f"{name}: only {len(test_pool)} test images of class {source_label}")
        splits["test"] += [(test_pixels[i], our_label) for i in test_pool[:n_test]]
    # Mixed once more so that a file read top to bottom is not grouped by class.
    for split in SPLITS:
        shuffle_in_place(splits[split], rng)

    out_dir = os.path.join(OUT_ROOT, name)
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for split in SPLITS:
        file = f"{split}.idx.gz"
        content = gzip_deterministic(encode_split(splits[split]))
        write_atomically(os.path.join(out_dir, file), content)
        written.append((file, len(splits[split]), len(content), hashlib.sha256(content).hexdigest()))

    class_names = [FASHION_CLASSES[s] for s in source_labels]
    counts = {s: [0] * len(source_labels) for s in SPLITS}
    for split in SPLITS:
        for _, label in splits[split]:
            counts[split][label] += 1
    lines = ["label,class,fashion_mnist_label,train,validation,test"]
    for label, (class_name, source_label) in enumerate(zip(class_names, source_labels)):
        lines.append(f"{label},{class_name},{source_label},{counts['train'][label]},"
                     f"{counts['validation'][label]},{counts['test'][label]}")
    labels_csv = ("\n".join(lines) + "\n").encode("utf-8")
    write_atomically(os.path.join(out_dir, "labels.csv"), labels_csv)
    written.append(("labels.csv", len(source_labels), len(labels_csv), hashlib.sha256(labels_csv).hexdigest()))

    write_atomically(os.path.join(out_dir, "SOURCE.md"),
                     source_md(name, source_labels, class_names, n_train, n_validation, n_test,
                               excluded, version, written).encode("utf-8"))
    for file, rows, size, digest in written:
        print(f"{digest}  {name}/{file}  ({rows} rows, {size} bytes)")


def source_md(name, source_labels, class_names, n_train, n_validation, n_test, excluded, version, written):
    classes = "\n".join(f"  - {label} = {c} (Fashion-MNIST label {s})"
                         for label, (c, s) in enumerate(zip(class_names, source_labels)))
    k = len(source_labels)
    table = "\n".join(f"| {f} | {rows} | {size} | {digest} |" for f, rows, size, digest in written)
    purpose = ("the hard pair T-shirt/top vs Shirt as a balanced binary task"
               if name == "fashion-shirts" else
               "the 8 classes that fashion-shirts does not use, as a pre-training set")
    return f"""# {name}

Generated by `tools/fashion-shirts/build.sh` (tools/fashion-shirts/build.py); do not edit by hand.
Fashion-MNIST: {purpose}.

## Source
- Debian package `{DEBIAN_PACKAGE}` version {version}: the gzip IDX
  files under {SOURCE_DIR}/ (60,000 train and 10,000 test images,
  28x28 grayscale, 10 classes), the same content as
  https://github.com/zalandoresearch/fashion-mnist. The build checks their
  decompressed SHA-256 (pinned in build.py).
- Fashion-MNIST, Copyright (c) 2017 Zalando SE, https://tech.zalando.com, under the MIT licence
  (below). Changes: selection, relabelling, splitting and re-encoding as described here.

## Selection and split
- Classes, our label = name:
{classes}
- Per class: {n_train} train and {n_validation} validation images drawn without overlap from the
  official train file, {n_test} test images from the official test file: train {n_train * k},
  validation {n_validation * k}, test {n_test * k}, balanced.
- Images whose exact pixels occur more than once across both official files are left out
  (train file: {len(excluded[0])}, test file: {len(excluded[1])}), so no image is in two splits.
- Per class, the images' indices in ascending file order are shuffled (Fisher-Yates with
  splitmix64 seeded {SEED}, one generator per data set, classes in label order, train file then
  test file); the first ones go to train, the next to validation. Each split is then shuffled once
  more with the same generator.

## Format of train.idx.gz, validation.idx.gz, test.idx.gz
- gzip (fixed header: mtime 0, OS byte 255; deflate level 9 by zlib {zlib.ZLIB_RUNTIME_VERSION}) of:
- 8 bytes ASCII `{MAGIC.decode()}`, then four big-endian uint32: N (images), C = {CHANNELS},
  H = {HEIGHT}, W = {WIDTH};
- N records of C*H*W uint8 pixels (0 = background, 255 = full intensity; channel, row, column
  order, as in the IDX files) followed by one uint8 label. Nothing after the last record.
- hpsweep scales pixels to [0, 1] (value / 255) when it loads them.
- labels.csv: `label,class,fashion_mnist_label,train,validation,test` (images per split).

## Files
| file | rows | bytes | sha256 |
|---|---|---|---|
{table}

## Licence
The MIT License (MIT)

Copyright (c) 2017 Zalando SE

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def main():
    train = read_idx("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
    test = read_idx("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
    occurrences = {}
    for p in train[0] + test[0]:
        occurrences[p] = occurrences.get(p, 0) + 1
    excluded = (frozenset(i for i, p in enumerate(train[0]) if occurrences[p] > 1),
                frozenset(i for i, p in enumerate(test[0]) if occurrences[p] > 1))
    version = package_version()
    for name, (source_labels, n_train, n_validation, n_test) in DATASETS.items():
        build(name, source_labels, n_train, n_validation, n_test, train, test, excluded, version)


if __name__ == "__main__":
    main()
