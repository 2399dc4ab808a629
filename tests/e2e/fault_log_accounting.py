#!/usr/bin/env python3
"""Log accounting after a deliberate application fault (tests/e2e/an505_fault.sh,
riscv_fault.sh): the relay's stored records of one boot against what fault_log logged.

Usage: fault_log_accounting.py LOGS_JSON BOOT_ID LOGGED AFTER_N  (exit 0 if they add up)
"""
import json, re, sys

logs = json.load(open(sys.argv[1]))["logs"]
boot, logged, after_n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ok = True
def bad(msg):
    global ok
    print("FAIL:", msg)
    ok = False

boots = sorted({r["boot_id"] for r in logs})
if boots != [boot]:
    bad(f"boot ids {boots}, expected only the console's {boot}")
recs = sorted((r for r in logs if r["boot_id"] == boot), key=lambda r: r["seq"])
seqs = [r["seq"] for r in recs]
if len(set(seqs)) != len(seqs):
    bad(f"duplicate seqs: {seqs}")
# Seqs run 1..max; a missing seq belonged to a record lost with the application's
# buffer (a MSG, or a GAP standing for >= 1 messages), so the GAP records stored after
# it must count at least as many messages as seqs are missing before them.
present = set(seqs)
missing = [s for s in range(1, (max(seqs) if seqs else 0) + 1) if s not in present]
gaps = [r for r in recs if r["kind"] == "gap"]
for s in missing:
    covered = sum(g["dropped"] for g in gaps if g["seq"] > s)
    if covered < sum(1 for m in missing if m <= s):
        bad(f"seq {s} missing and not covered by a later GAP record")
dropped = sum(g["dropped"] for g in gaps)
msgs = [r["message"] for r in recs if r["kind"] == "msg"]
def numbers(what):
    return [int(m.group(1)) for m in (re.fullmatch(f"fault_log: {what} (\\d+)( x+)?", t)
                                      for t in msgs) if m]
before, after = numbers("before"), numbers("after")
if len(set(before)) != len(before) or len(set(after)) != len(after):
    bad("a message was stored twice")
if any(n < 1 or n > logged for n in before):
    bad(f"unexpected before numbers {before}")
lost = logged - len(set(before))
# Exact, not "at least": the kernel counts every message it refused for a full buffer
# and every record lost with the application's buffer (a lost GAP record with the
# messages it stood for); records the kernel had already handed to the connection wait
# for the relay's acknowledgement (or the next WELCOME) and are counted only if the
# relay did not store them. Over-counting remains possible only when more than
# MVK_LOG_LOST_RANGES pending ranges had to be merged (one per GAP record in flight at
# the fault); this application's buffer holds the whole burst, so at most one GAP
# record (for refusals) can split its records, far below that.
if dropped != lost:
    bad(f"{lost} 'before' messages missing but the GAP records count {dropped}")
if sorted(after) != list(range(1, after_n + 1)):
    bad(f"after messages {after}, expected 1..{after_n}")
# Only the faulted application's records can be lost: every missing seq comes before
# the restarted application's first message. (A GAP itself may come after "after"
# messages: one settled by the WELCOME of a new session, if the session dropped.)
seq_of = {r["message"]: r["seq"] for r in recs if r["kind"] == "msg"}
first_after = min((seq_of[f"fault_log: after {n}"] for n in after), default=0)
for s in missing:
    if first_after and s > first_after:
        bad(f"seq {s} missing after the restarted application's first message")
print(f"boot {boot}: {len(recs)} records, seqs 1..{max(seqs) if seqs else 0} with "
      f"{len(missing)} missing, {len(set(before))}/{logged} 'before' stored, "
      f"{len(gaps)} GAP record(s) with dropped {dropped} (lost {lost}), "
      f"{len(after)} 'after' stored")
sys.exit(0 if ok else 1)
