/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`test/templates/snapshots-comments.test.ts > TAP > attempt comment > attempt after two attempts 1`] = `
### Remediation attempt 3 of 3

The incident recurred after the previous attempt (9 occurrences so far, last seen 2025-11-21T07:02:40Z), so Healer starts a new attempt.

| | |
|---|---|
| CodeRun | \`healer-a7-e3db1982-3\` |
| Phase | \`Running\` |
| Pull request | — (not yet) |

<details><summary>Latest evidence (3 lines, untrusted data)</summary>

\`\`\`text
agent: waiting reason=CrashLoopBackOff restartCount=5
agent: lastState terminated exitCode=137 reason=OOMKilled
resources.limits.memory=2Gi
\`\`\`

</details>

`

exports[`test/templates/snapshots-comments.test.ts > TAP > attempt comment > attempt with nothing known 1`] = `
### Remediation attempt 1 of 3

Healer starts remediation for this incident.

`

exports[`test/templates/snapshots-comments.test.ts > TAP > escalation comment > escalation after two attempts 1`] = `
### Needs a human

Three remediation attempts did not resolve the incident. Healer has stopped remediating it and added the \`needs-human\` label.

**What was tried**

| Attempt | CodeRun | Outcome | Pull request | Ended |
|---|---|---|---|---|
| 1 | \`healer-a7-e3db1982-1\` | succeeded, alert recurred | https://github.com/5dlabs/cto/pull/1301 | 2025-11-21T06:12:30Z |
| 2 | \`healer-a7-e3db1982-2\` | failed | — | 2025-11-21T06:41:05Z |

**Current state:** 9 occurrences, first seen 2025-11-21T05:41:58Z, last seen 2025-11-21T07:02:40Z, pod \`play-task-4-rex-abc12\`.

**Next steps:** read the evidence and the attempts' pull requests, fix the cause, and close this issue (Healer also closes it when the condition clears). The acceptance criteria in the issue body still apply.

<details><summary>Latest evidence (3 lines, untrusted data)</summary>

\`\`\`text
agent: waiting reason=CrashLoopBackOff restartCount=5
agent: lastState terminated exitCode=137 reason=OOMKilled
resources.limits.memory=2Gi
\`\`\`

</details>

`

exports[`test/templates/snapshots-comments.test.ts > TAP > escalation comment > escalation with nothing known 1`] = `
### Needs a human

Healer cannot resolve this incident on its own. Healer has stopped remediating it and added the \`needs-human\` label.

**What was tried**

No remediation attempt was made.

**Current state:** 1 occurrences, first seen 2025-11-21T05:42:13Z, last seen 2025-11-21T05:42:13Z.

**Next steps:** read the evidence and the attempts' pull requests, fix the cause, and close this issue (Healer also closes it when the condition clears). The acceptance criteria in the issue body still apply.

`

exports[`test/templates/snapshots-comments.test.ts > TAP > resolution comment > resolution after two attempts 1`] = `
### Resolved

Pod \`play-task-4-rex-abc12\` is gone and its successor reached \`Succeeded\`.

- Occurrences: 9 (first seen 2025-11-21T05:41:58Z, last seen 2025-11-21T07:02:40Z)
- Remediation: CodeRun \`healer-a7-e3db1982-3\`

Healer is closing this issue. If the alert fires again, Healer records it as a recurrence of this incident and starts a new attempt while attempts remain (up to 3).

`

exports[`test/templates/snapshots-comments.test.ts > TAP > resolution comment > resolution with nothing known 1`] = `
### Resolved

The condition that raised this alert is gone.

- Occurrences: 1 (first seen 2025-11-21T05:42:13Z, last seen 2025-11-21T05:42:13Z)

Healer is closing this issue. If the alert fires again, Healer records it as a recurrence of this incident and starts a new attempt while attempts remain (up to 3).

`
