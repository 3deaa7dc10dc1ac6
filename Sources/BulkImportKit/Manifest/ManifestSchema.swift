// Generated from schemas/manifest.schema.json by scripts/sync-schema; a test keeps them identical.

/// The manifest format's JSON Schema (draft-07), as `bulk-import schema` prints it.
public enum ManifestSchema {
    public static let json = #"""
        {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "$id": "https://bulk-import.dev/schemas/manifest.schema.json",
          "title": "bulk-import manifest",
          "description": "A manifest of bulk-import jobs for Milvus and Zilliz Cloud (version 1). `$<ENV>` references are substituted in every string value; secrets must be written that way.",
          "type": "object",
          "properties": {
            "version": {
              "type": "integer",
              "const": 1,
              "description": "The manifest format version; must be `1`."
            },
            "state": {
              "type": "string",
              "minLength": 1,
              "description": "Where the jobs' state (which job was sent, as which server job) is kept, so a re-run never imports the same data twice: a file path resolved against the manifest's folder (default `.bulk-import/state.jsonl` beside the manifest), or `postgres://USER:$<PGPASSWORD>@HOST:5432/DATABASE?sslmode=require` for pipelines and many runners. `--state` overrides it. Manifests run together must name the same state."
            },
            "atomic": {
              "type": "boolean",
              "default": false,
              "description": "`true`: the manifest's jobs are one atomic group, all visible or none. Every job is created with `auto_commit: \"false\"`, followed until all are `Uncommitted`, then all are committed; if any fails, all are aborted. Needs REST v2 targets whose servers have two-phase imports (Milvus 2.7/3.0 or later; asked before the first create); jobs must not set `auto_commit`."
            },
            "targets": {
              "type": "object",
              "description": "Named targets that jobs refer to by name: NAME -> `{milvus: {...}}` or `{zilliz: {...}}`. Names match `^[A-Za-z0-9._-]+$`.",
              "propertyNames": {
                "pattern": "^[A-Za-z0-9._-]+$",
                "maxLength": 255,
                "description": "A target name: letters, digits, `.`, `_`, `-`; at most 255 characters."
              },
              "additionalProperties": {
                "$ref": "#/definitions/target",
                "description": "A named target."
              }
            },
            "defaults": {
              "$ref": "#/definitions/jobDefaults",
              "description": "Values for any job field except `name`; a job's own value wins."
            },
            "jobs": {
              "type": "array",
              "minItems": 1,
              "description": "The import jobs, at least one; job names are unique.",
              "items": {
                "$ref": "#/definitions/job",
                "description": "One import job."
              }
            }
          },
          "patternProperties": {
            "^x-": {
              "description": "Ignored (the Compose convention): a place for anchored blocks that jobs merge, e.g. `x-common: &common {target: local}` and `<<: *common` in a job."
            }
          },
          "required": [
            "version",
            "jobs"
          ],
          "additionalProperties": false,
          "definitions": {
            "target": {
              "type": "object",
              "description": "Where jobs import to: a mapping with exactly one key, `milvus` or `zilliz`.",
              "properties": {
                "milvus": {
                  "$ref": "#/definitions/milvusTarget",
                  "description": "A self-hosted Milvus instance."
                },
                "zilliz": {
                  "$ref": "#/definitions/zillizTarget",
                  "description": "A Zilliz Cloud cluster or project."
                }
              },
              "minProperties": 1,
              "maxProperties": 1,
              "additionalProperties": false
            },
            "milvusTarget": {
              "type": "object",
              "description": "A self-hosted Milvus instance.",
              "properties": {
                "uri": {
                  "type": "string",
                  "pattern": "^([Hh][Tt][Tt][Pp][Ss]?://.+|.*\\$<.*)$",
                  "description": "The http(s) URL of the Milvus instance: its REST port (19530) for `api: v2`, its HTTP port (9091) for `api: v1`.",
                  "examples": [
                    "http://localhost:19530",
                    "http://localhost:9091"
                  ]
                },
                "token": {
                  "$ref": "#/definitions/secretReference",
                  "description": "Optional: `user:password` or an API token, sent as `Authorization: Bearer`. Omit it when the instance has no authentication. Secret: write it as an environment reference such as `$<NAME>` or `$<NAME:-fallback>`. A literal value is an error unless `--allow-plaintext-secrets` is given; the schema cannot know that flag, so it accepts any string here.",
                  "examples": [
                    "$<MILVUS_TOKEN>"
                  ]
                },
                "db_name": {
                  "type": "string",
                  "minLength": 1,
                  "pattern": "^([A-Za-z_][A-Za-z0-9_]{0,254}|.*\\$<.*)$",
                  "description": "The database of the target collections (default `default`); a job's own `db_name` wins.",
                  "examples": [
                    "default"
                  ]
                },
                "api": {
                  "type": "string",
                  "enum": [
                    "v2",
                    "v1"
                  ],
                  "default": "v2",
                  "description": "Which HTTP API to use: `v2` is REST v2 (Milvus 2.4+, the default); `v1` is the `/api/v1` HTTP API of Milvus 2.2/2.3 on port 9091, one request per file group."
                }
              },
              "required": [
                "uri"
              ],
              "additionalProperties": false
            },
            "zillizTarget": {
              "type": "object",
              "description": "A Zilliz Cloud cluster or project. The API follows from `url` (a `controller.api.<region>.zillizcloud.com` URL is the v1 data plane, anything else the v2 control plane) unless `api` says otherwise. Needs `cluster_id`, or `project_id` and `region_id` together (v2 only).",
              "properties": {
                "url": {
                  "type": "string",
                  "minLength": 1,
                  "description": "The API endpoint. `https://api.cloud.zilliz.com` (China: `https://api.cloud.zilliz.com.cn`) is the v2 control plane; `controller.api.<cloud-region>.zillizcloud.com[:port]` (scheme optional, the seed's form) means the legacy v1 API.",
                  "examples": [
                    "https://api.cloud.zilliz.com",
                    "controller.api.gcp-us-west1.zillizcloud.com"
                  ]
                },
                "api_key": {
                  "$ref": "#/definitions/secretReference",
                  "description": "Required: a Zilliz Cloud API key, sent as `Authorization: Bearer`. Secret: write it as an environment reference such as `$<NAME>` or `$<NAME:-fallback>`. A literal value is an error unless `--allow-plaintext-secrets` is given; the schema cannot know that flag, so it accepts any string here.",
                  "examples": [
                    "$<ZILLIZ_API_KEY>"
                  ]
                },
                "cluster_id": {
                  "type": "string",
                  "minLength": 1,
                  "description": "The cluster ID, from the cluster's page in the Zilliz Cloud console. Required unless `project_id` and `region_id` are both given.",
                  "examples": [
                    "in01-0123456789abcdef"
                  ]
                },
                "project_id": {
                  "type": "string",
                  "minLength": 1,
                  "description": "v2 only: the project of a project database; give it with `region_id` instead of `cluster_id`.",
                  "examples": [
                    "proj-0123456789abcdef"
                  ]
                },
                "region_id": {
                  "type": "string",
                  "minLength": 1,
                  "description": "v2 only: the cloud region of a project database; give it with `project_id`.",
                  "examples": [
                    "aws-us-west-2"
                  ]
                },
                "db_name": {
                  "type": "string",
                  "minLength": 1,
                  "pattern": "^([A-Za-z_][A-Za-z0-9_]{0,254}|.*\\$<.*)$",
                  "description": "The database of the target collections; a job's own `db_name` wins.",
                  "examples": [
                    "default"
                  ]
                },
                "api": {
                  "type": "string",
                  "enum": [
                    "v1",
                    "v2"
                  ],
                  "description": "`v1` (legacy data plane, one `object_url` per job) or `v2` (control plane); overrides what `url` implies."
                }
              },
              "required": [
                "url",
                "api_key"
              ],
              "anyOf": [
                {
                  "required": [
                    "cluster_id"
                  ],
                  "description": "Identified by cluster."
                },
                {
                  "required": [
                    "project_id",
                    "region_id"
                  ],
                  "description": "Identified by project and region (v2 only)."
                }
              ],
              "dependencies": {
                "project_id": [
                  "region_id"
                ],
                "region_id": [
                  "project_id"
                ]
              },
              "additionalProperties": false
            },
            "job": {
              "type": "object",
              "description": "One import job: one request per job (per file group on Milvus `api: v1`). Fields missing here are taken from `defaults`; `target` and `collection_name` are required, on the job or in `defaults`.",
              "properties": {
                "name": {
                  "type": "string",
                  "pattern": "^[A-Za-z0-9._-]+$",
                  "maxLength": 255,
                  "description": "A unique name for the job (letters, digits, `.`, `_`, `-`; at most 255 characters). Used in reports, in the state file and to select jobs on the command line.",
                  "examples": [
                    "products-2024"
                  ]
                },
        \#(sharedJobFields)
              "required": [
                "name"
              ],
              "additionalProperties": false
            },
            "jobDefaults": {
              "type": "object",
              "description": "Values for any job field except `name`, used by every job that does not set the field itself (a job's own value wins).",
              "properties": {
        \#(sharedJobFields)
              "additionalProperties": false
            },
            "fileGroup": {
              "description": "A file group: a string (a group of one file) or a non-empty list of strings. Milvus: bucket-relative object keys sharing one extension, one `.json`/`.parquet`/`.csv` file or one `.npy` file per field. Zilliz Cloud: exactly one object URL.",
              "oneOf": [
                {
                  "type": "string",
                  "minLength": 1,
                  "description": "A group of one file (or one URL)."
                },
                {
                  "type": "array",
                  "minItems": 1,
                  "items": {
                    "type": "string",
                    "minLength": 1,
                    "description": "A file path (or URL)."
                  },
                  "description": "A group of files imported together, e.g. the `.npy` files of one column set."
                }
              ],
              "examples": [
                "products/2024/part-0001.parquet",
                [
                  "products/2024/id.npy",
                  "products/2024/vector.npy"
                ]
              ]
            },
            "options": {
              "type": "object",
              "description": "Import options: a mapping of option key -> scalar (string, number or boolean); every value is sent to the server as a string (`timeout: 300s` -> `\"300s\"`). The keys below are known; any other key is allowed and only produces a warning.",
              "properties": {
                "timeout": {
                  "type": "string",
                  "pattern": "^(\\+?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)|.*\\$<.*)$",
                  "description": "Server-side timeout of the import job, as a Go duration: a sequence of numbers with units `ns`, `us`, `ms`, `s`, `m`, `h` (e.g. `300s`, `1.5h`, `1h45m`).",
                  "examples": [
                    "300s",
                    "1.5h",
                    "1h45m"
                  ]
                },
                "sep": {
                  "type": "string",
                  "minLength": 1,
                  "description": "CSV only: the field separator (one character; default `,`).",
                  "examples": [
                    ",",
                    ";",
                    "\t"
                  ]
                },
                "nullkey": {
                  "type": "string",
                  "description": "CSV only: the string that stands for a null value (default empty).",
                  "examples": [
                    "NULL",
                    "\\N"
                  ]
                },
                "backup": {
                  "type": [
                    "boolean",
                    "string"
                  ],
                  "description": "Import data written by milvus-backup (binlog files) instead of row or column files.",
                  "examples": [
                    true
                  ]
                },
                "skip_disk_quota_check": {
                  "type": [
                    "boolean",
                    "string"
                  ],
                  "description": "Skip the disk quota check; only together with `backup` or `l0_import`.",
                  "examples": [
                    true
                  ]
                },
                "l0_import": {
                  "type": [
                    "boolean",
                    "string"
                  ],
                  "description": "Import L0 (delete) segments of a backup.",
                  "examples": [
                    true
                  ]
                },
                "start_ts": {
                  "type": [
                    "string",
                    "number"
                  ],
                  "description": "Backup imports: only import data written at or after this timestamp (TSO).",
                  "examples": [
                    "449839014328146739"
                  ]
                },
                "end_ts": {
                  "type": [
                    "string",
                    "number"
                  ],
                  "description": "Backup imports: only import data written at or before this timestamp (TSO).",
                  "examples": [
                    "449839014328146739"
                  ]
                },
                "storage_version": {
                  "type": [
                    "string",
                    "number"
                  ],
                  "description": "The storage format version of the binlog files to import (backup imports).",
                  "examples": [
                    2
                  ]
                },
                "auto_commit": {
                  "type": [
                    "boolean",
                    "string"
                  ],
                  "description": "Milvus 2.7/3.0: `false` makes a two-phase import that stops at `Uncommitted` until it is committed or aborted (default `true`).",
                  "examples": [
                    false
                  ]
                },
                "ezk": {
                  "type": "string",
                  "description": "Backup imports: the base64 encryption-zone key that reads encrypted backup data. Secret: write it as `$<NAME>`; it is masked in every output.",
                  "examples": [
                    "$<MILVUS_EZK>"
                  ]
                },
                "source_type": {
                  "type": "string",
                  "description": "`snapshot`: import a Milvus snapshot; `files` is then the snapshot's full metadata uri (`s3://bucket/.../snapshot.json`), and `backup: true` is needed; not with `l0_import` or `storage_version`.",
                  "examples": [
                    "snapshot"
                  ]
                },
                "external_spec": {
                  "type": "string",
                  "description": "Snapshot imports only: the credentials spec of the snapshot's source storage (at most 64 KiB). Secret: write it as `$<NAME>`; it is masked in every output.",
                  "examples": [
                    "$<SNAPSHOT_SOURCE_SPEC>"
                  ]
                },
                "partition_mapping": {
                  "type": "string",
                  "description": "Snapshot imports: how the snapshot's partitions map to the collection's (JSON, as the server documents it).",
                  "examples": [
                    "{}"
                  ]
                },
                "endTs": {
                  "type": [
                    "string",
                    "number"
                  ],
                  "description": "Alias of `end_ts` that the server also reads.",
                  "examples": [
                    "449839014328146739"
                  ]
                },
                "startTs": {
                  "type": [
                    "string",
                    "number"
                  ],
                  "description": "Alias of `start_ts` that the server also reads.",
                  "examples": [
                    "449839014328146739"
                  ]
                }
              },
              "additionalProperties": {
                "type": [
                  "string",
                  "number",
                  "boolean"
                ],
                "description": "An option this tool does not know: allowed, with a warning; sent as a string."
              }
            },
            "secretReference": {
              "type": "string",
              "description": "A secret, written as a reference to an environment variable: `$<NAME>` or `$<NAME:-fallback>`, NAME matching `[A-Za-z_][A-Za-z0-9_]*` (`$$<` is a literal `$<`). `$<...>` references are substituted in every string value of a manifest; for secrets they are mandatory: a literal secret is an error unless `--allow-plaintext-secrets` is given (so this schema does not reject literals).",
              "examples": [
                "$<MILVUS_TOKEN>",
                "$<ZILLIZ_API_KEY>"
              ]
            }
          }
        }
        """#

    /// The job fields, which `jobs` and `defaults` share (written once here).
    static let sharedJobFields = #"""
                "target": {
                  "description": "The target of the job: the name of an entry under `targets`, or an inline target mapping with exactly one key, `milvus` or `zilliz`. Required on the job or in `defaults`.",
                  "anyOf": [
                    {
                      "type": "string",
                      "pattern": "^[A-Za-z0-9._-]+$",
                      "description": "The name of a target defined under the top-level `targets`."
                    },
                    {
                      "$ref": "#/definitions/target",
                      "description": "An inline target: `{milvus: {...}}` or `{zilliz: {...}}`."
                    }
                  ],
                  "examples": [
                    "local",
                    "cloud"
                  ]
                },
                "collection_name": {
                  "type": "string",
                  "minLength": 1,
                  "pattern": "^([A-Za-z_][A-Za-z0-9_]{0,254}|.*\\$<.*)$",
                  "description": "The collection to import into; it must already exist with a schema that matches the files. Required on the job or in `defaults`. Milvus's rule: a letter or `_`, then letters, digits and `_`, at most 255 characters.",
                  "examples": [
                    "products"
                  ]
                },
                "partition_name": {
                  "type": "string",
                  "minLength": 1,
                  "pattern": "^([A-Za-z0-9_][A-Za-z0-9_-]{0,254}|.*\\$<.*)$",
                  "description": "The partition to import into (one per job); `_default` when omitted. The server rejects a partition name when the collection has a partition key. Milvus's rule: a letter, digit or `_`, then letters, digits, `_` and `-`, at most 255 characters; quote one that looks like a number (`\"2024\"`).",
                  "examples": [
                    "y2024"
                  ]
                },
                "db_name": {
                  "type": "string",
                  "minLength": 1,
                  "pattern": "^([A-Za-z_][A-Za-z0-9_]{0,254}|.*\\$<.*)$",
                  "description": "The database of the collection; overrides the target's `db_name`. Sent as the `DB-Name` header / `dbName` field.",
                  "examples": [
                    "default"
                  ]
                },
                "files": {
                  "type": "array",
                  "minItems": 1,
                  "maxItems": 1024,
                  "items": {
                    "$ref": "#/definitions/fileGroup",
                    "description": "One file group: a string (a group of one) or a non-empty list of strings."
                  },
                  "description": "The files to import, as a list of groups; each group is a string (a group of one file) or a non-empty list of strings. Milvus: required; paths are object keys relative to the Milvus bucket (no `s3://`, no leading `/`); the files of a group share one extension; a `.json`, `.parquet` or `.csv` group holds exactly one file, a `.npy` group one file per field; other extensions are rejected; at most 1024 groups. Zilliz Cloud (v2 API only): each group is ONE object URL (a file, or a folder ending in `/`); at most 1000 groups. A Zilliz job needs `files` or `object_url`.",
                  "examples": [
                    [
                      "products/2024/part-0001.parquet",
                      [
                        "products/2024/id.npy",
                        "products/2024/vector.npy"
                      ]
                    ]
                  ]
                },
                "object_url": {
                  "type": "string",
                  "minLength": 1,
                  "description": "Zilliz Cloud only: the URL of one data file or folder in your object storage (`s3://`, `gs://`, or an https URL of S3, Google Cloud Storage or Azure Blob). The seed's single-URL form; the v1 API takes exactly one URL. A Zilliz job needs `object_url` or `files`.",
                  "examples": [
                    "s3://bucket/articles/",
                    "gs://bucket/folder/1.parquet"
                  ]
                },
                "access_key": {
                  "$ref": "#/definitions/secretReference",
                  "description": "Zilliz Cloud only, required for Zilliz jobs: the access key that reads the object storage bucket. Secret: write it as an environment reference such as `$<NAME>` or `$<NAME:-fallback>`. A literal value is an error unless `--allow-plaintext-secrets` is given; the schema cannot know that flag, so it accepts any string here.",
                  "examples": [
                    "$<AWS_ACCESS_KEY_ID>"
                  ]
                },
                "secret_key": {
                  "$ref": "#/definitions/secretReference",
                  "description": "Zilliz Cloud only, required for Zilliz jobs: the secret key that reads the object storage bucket. Secret: write it as an environment reference such as `$<NAME>` or `$<NAME:-fallback>`. A literal value is an error unless `--allow-plaintext-secrets` is given; the schema cannot know that flag, so it accepts any string here.",
                  "examples": [
                    "$<AWS_SECRET_ACCESS_KEY>"
                  ]
                },
                "token": {
                  "$ref": "#/definitions/secretReference",
                  "description": "Zilliz Cloud v2 only, optional: the session token of short-term storage credentials. Secret: write it as an environment reference such as `$<NAME>` or `$<NAME:-fallback>`. A literal value is an error unless `--allow-plaintext-secrets` is given; the schema cannot know that flag, so it accepts any string here.",
                  "examples": [
                    "$<AWS_SESSION_TOKEN>"
                  ]
                },
                "volume_name": {
                  "type": "string",
                  "minLength": 1,
                  "description": "Zilliz Cloud v2 only: the Zilliz Cloud volume to import from instead of object storage (sent as `volumeName`, as pymilvus 2.6.5+ does). A volume job takes `data_paths` and no `files`, `object_url`, `access_key`, `secret_key` or `token`: the cluster reads its own volume.",
                  "examples": [
                    "my-volume"
                  ]
                },
                "stage_name": {
                  "type": "string",
                  "minLength": 1,
                  "description": "The older name of `volume_name` (pymilvus 2.6.0-2.6.4 sent `stageName`): still read, with a warning; rename it to `volume_name`. Sent as `volumeName`.",
                  "examples": [
                    "my-stage"
                  ]
                },
                "data_paths": {
                  "type": "array",
                  "minItems": 1,
                  "items": {
                    "anyOf": [
                      {
                        "type": "string",
                        "minLength": 1
                      },
                      {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 1,
                        "items": {
                          "type": "string",
                          "minLength": 1
                        }
                      }
                    ]
                  },
                  "description": "With `volume_name`: the paths inside the volume to import, each a file or a folder ending in `/` (sent as `dataPaths: [[path], ...]`); a path or a list of one path per entry; at most 1000.",
                  "examples": [
                    [
                      "parquet-folder/1.parquet",
                      "parquet-folder-2/"
                    ]
                  ]
                },
                "options": {
                  "$ref": "#/definitions/options",
                  "description": "Import options sent with the request: option key -> scalar (string, number or boolean); every value is sent as a string."
                }
              },
        """#
}
