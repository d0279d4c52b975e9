"""Splink (DuckDB backend) on the same generated extracts, scored against the same truth.

    python -m venv venv && venv/bin/pip install splink duckdb
    venv/bin/python bench/reconcile/splink_compare.py DATA_DIR OUT_DIR

Splink links records only; it has no notion of field differences, kinds, proposals or
classes, so only link precision/recall/F1 are compared. Links are one-to-one by taking, for
each record, its best partner above the threshold when that is mutual.
"""
import json
import sys
import time

import duckdb
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI

data, out = sys.argv[1], sys.argv[2]
t0 = time.time()
con = duckdb.connect()
cols = "record_id, azr_number, family_name, given_names, date_of_birth, place_of_birth, nationality, sex, municipality_code"
def load(name, sid):
    return con.sql(f"""
      select {cols},
        lower(trim(family_name)) as fam, lower(trim(given_names)) as giv,
        lower(trim(place_of_birth)) as pob, substr(date_of_birth, 1, 4) as yob
      from read_csv('{data}/{name}', all_varchar=true, header=true, ignore_errors=true,
                    null_padding=true, strict_mode=false)
      where record_id is not null and record_id <> ''""").df()
local, azr = load("local.csv", "local"), load("azr.csv", "azr")
local = local.rename(columns={"record_id": "unique_id"})
azr = azr.rename(columns={"record_id": "unique_id"})
settings = SettingsCreator(
    link_type="link_only",
    unique_id_column_name="unique_id",
    blocking_rules_to_generate_predictions=[
        block_on("azr_number"),
        block_on("fam", "date_of_birth"),
        block_on("giv", "date_of_birth"),
        block_on("fam", "giv", "yob"),
    ],
    comparisons=[
        cl.JaroWinklerAtThresholds("fam", [0.9, 0.8]).configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("giv", [0.9, 0.8]).configure(term_frequency_adjustments=True),
        cl.ExactMatch("date_of_birth").configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("pob", [0.9]),
        cl.ExactMatch("nationality"),
        cl.ExactMatch("sex"),
        cl.ExactMatch("municipality_code"),
        cl.ExactMatch("azr_number"),
    ],
    retain_intermediate_calculation_columns=False,
)
db_api = DuckDBAPI(connection=con)
sdf_local = db_api.register(local, dataset_display_name="local")
sdf_azr = db_api.register(azr, dataset_display_name="azr")
linker = Linker([sdf_local, sdf_azr], settings)
linker.training.estimate_probability_two_random_records_match(
    [block_on("azr_number")], recall=0.95)
linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("fam", "date_of_birth"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("azr_number"))
pred = linker.inference.predict(threshold_match_probability=0.9).as_pandas_dataframe()
t1 = time.time()
# one-to-one: mutual best
# Splink names the input datasets after their display names; find the local side per row.
sd = [c for c in pred.columns if c.startswith("source_dataset")]
left_local = pred[sd[0]].astype(str).str.contains("local") if sd else True
pred["l"] = pred.unique_id_l.where(left_local, pred.unique_id_r)
pred["a"] = pred.unique_id_r.where(left_local, pred.unique_id_l)
best_l = pred.sort_values("match_weight", ascending=False).drop_duplicates("l")
best_a = pred.sort_values("match_weight", ascending=False).drop_duplicates("a")
found = set(zip(best_l.l, best_l.a)) & set(zip(best_a.l, best_a.a))
truth = con.sql(f"select * from read_csv('{data}/truth_links.csv', all_varchar=true)").fetchall()
amb = set(con.sql(f"select side || ':' || record_id from read_csv('{data}/truth_classes.csv', all_varchar=true) where class='ambiguous'").fetchall())
amb = {x[0] for x in amb}
keep = lambda l, a: f"local:{l}" not in amb and f"azr:{a}" not in amb
true = {(l, a) for l, a in truth if keep(l, a)}
found = {(l, a) for l, a in found if keep(l, a)}
tp = len(true & found)
p = tp / max(len(found), 1); r = tp / max(len(true), 1)
print(json.dumps({"tool": "splink", "seconds": round(t1 - t0, 1), "links_true": len(true),
                  "links_found": len(found), "link_precision": p, "link_recall": r,
                  "link_f1": 2 * p * r / (p + r) if p + r else 0.0}, indent=2))
