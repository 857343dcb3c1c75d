#!/usr/bin/node
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Reads a TF.js layers model shipped as UMD JavaScript modules (nsfwjs'
// dist/models/<name>/model.min.js and group1-shard*.min.js) and writes what
// convert-mobilenet.py needs, in plain formats:
//   <out>/model.json    {"modelTopology": ..., "weightsManifest": ...}
//   <out>/weights.bin   the shards' bytes, concatenated in manifest order
// Node is only needed because the topology is a JavaScript object literal,
// not JSON: requiring the module is the one faithful way to read it.
//
//   node read-tfjs-model.js MODEL_DIR OUT_DIR
"use strict";

const fs = require("fs");
const path = require("path");

function main(argv) {
  if (argv.length !== 2) {
    process.stderr.write("usage: read-tfjs-model.js MODEL_DIR OUT_DIR\n");
    process.exit(2);
  }
  const [modelDir, outDir] = argv.map((p) => path.resolve(p));
  const model = require(path.join(modelDir, "model.min.js"));
  if (!model.modelTopology || !Array.isArray(model.weightsManifest))
    throw new Error(`${modelDir}/model.min.js: no modelTopology or weightsManifest`);

  const chunks = [];
  for (const group of model.weightsManifest)
    for (const shard of group.paths) {
      // each shard module exports one base64 string of the raw bytes
      const text = require(path.join(modelDir, shard + ".min.js"));
      if (typeof text !== "string")
        throw new Error(`${shard}.min.js does not export a string`);
      chunks.push(Buffer.from(text, "base64"));
    }

  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "model.json"),
                   JSON.stringify({ modelTopology: model.modelTopology,
                                    weightsManifest: model.weightsManifest }));
  fs.writeFileSync(path.join(outDir, "weights.bin"), Buffer.concat(chunks));
}

main(process.argv.slice(2));
