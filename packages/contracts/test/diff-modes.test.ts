/** Modes, transitive comparison, mode precedence, severity, requiredBump and the JSON shape. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffContracts, toDiffJson } from '../src/diff/diff.js';
import { isModeAtLeast } from '../src/diff/verdict.js';
import { MeshError } from '../src/errors.js';
import { diffDocs, docWith, load, prop, summary, type Doc } from './diff-helpers.js';

const removeNote = (d: Doc): void => {
  d.schema[0].properties = d.schema[0].properties.filter((p: Doc) => p.name !== 'note');
};
const requireNote = (d: Doc): void => {
  prop(d, 'note').required = true;
};
const withMode =
  (m: unknown) =>
  (d: Doc): void => {
    d.customProperties = [{ property: 'meshkit.compatibility', value: m }];
  };

describe('modes', () => {
  // PROPERTY_REMOVED breaks FWD only; REQUIRED_ADDED breaks BWD only.
  const cases: Array<[string, (d: Doc) => void, boolean, string, string]> = [
    // mode, edit, compatible, severity, requiredBump
    ['FULL', removeNote, false, 'error', 'major'],
    ['FORWARD', removeNote, false, 'error', 'major'],
    ['BACKWARD', removeNote, true, 'warning', 'minor'],
    ['NONE', removeNote, true, 'warning', 'minor'],
    ['FULL', requireNote, false, 'error', 'major'],
    ['BACKWARD', requireNote, false, 'error', 'major'],
    ['FORWARD', requireNote, true, 'warning', 'minor'],
    ['NONE', requireNote, true, 'warning', 'minor'],
    ['FULL_TRANSITIVE', removeNote, false, 'error', 'major'],
    ['BACKWARD_TRANSITIVE', removeNote, true, 'warning', 'minor'],
    ['FORWARD_TRANSITIVE', requireNote, true, 'warning', 'minor'],
  ];
  for (const [mode, edit, compatible, severity, bump] of cases) {
    it(`${mode}: ${edit === removeNote ? 'a removed property' : 'a newly required property'} is ${compatible ? 'compatible' : 'incompatible'}`, () => {
      const r = diffDocs(docWith(), docWith(edit), { mode: mode as never });
      assert.equal(r.mode, mode);
      assert.equal(r.compatible, compatible);
      assert.equal(r.changes.length, 1);
      assert.equal(r.changes[0]!.severity, severity);
      assert.equal(r.requiredBump, bump);
    });
  }

  it('NONE still reports every change', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        removeNote(d);
        d.id = 'other';
      }),
      { mode: 'NONE' },
    );
    assert.deepEqual(summary(r), ['ID_CHANGED id', 'PROPERTY_REMOVED schema[orders].properties[note]']);
    assert.ok(r.compatible);
    assert.equal(r.requiredBump, 'minor');
  });
});

describe('mode precedence', () => {
  it('defaults to FULL', () => {
    assert.equal(diffDocs(docWith(), docWith()).mode, 'FULL');
  });

  it("takes the new contract's meshkit.compatibility", () => {
    const r = diffDocs(
      docWith(withMode('BACKWARD')),
      docWith((d) => {
        withMode('BACKWARD')(d);
        removeNote(d);
      }),
    );
    assert.equal(r.mode, 'BACKWARD');
    assert.ok(r.compatible);
    assert.deepEqual(summary(r), ['PROPERTY_REMOVED schema[orders].properties[note]']);
  });

  it('the --mode flag wins over the contract', () => {
    const r = diffDocs(
      docWith(withMode('BACKWARD')),
      docWith((d) => {
        withMode('BACKWARD')(d);
        removeNote(d);
      }),
      { mode: 'FORWARD' },
    );
    assert.equal(r.mode, 'FORWARD');
    assert.equal(r.compatible, false);
  });

  it("ignores the old contract's mode for the verdict", () => {
    const r = diffDocs(docWith(withMode('NONE')), docWith(removeNote));
    assert.equal(r.mode, 'FULL');
    assert.equal(r.compatible, false);
    // NONE → FULL (absent) is a strengthening: reported, not breaking.
    const mc = r.changes.find((c) => c.rule === 'COMPATIBILITY_MODE_CHANGED');
    assert.equal(mc?.severity, 'info');
  });

  it('weakening FULL → BACKWARD is itself breaking under the new mode', () => {
    const r = diffDocs(docWith(), docWith(withMode('BACKWARD')));
    assert.equal(r.mode, 'BACKWARD');
    assert.deepEqual(summary(r), ['COMPATIBILITY_MODE_CHANGED customProperties[meshkit.compatibility]']);
    assert.equal(r.changes[0]!.severity, 'error');
    assert.equal(r.compatible, false);
    assert.equal(r.requiredBump, 'major');
  });

  it('weakening to NONE cannot opt out silently: judged under the old mode', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        withMode('NONE')(d);
        removeNote(d);
      }),
    );
    assert.equal(r.mode, 'NONE');
    assert.equal(r.compatible, false);
    const byRule = Object.fromEntries(r.changes.map((c) => [c.rule, c.severity]));
    assert.deepEqual(byRule, { COMPATIBILITY_MODE_CHANGED: 'error', PROPERTY_REMOVED: 'warning' });
    assert.equal(r.requiredBump, 'major');
  });

  it('an explicit --mode NONE makes nothing breaking, not even a weakened mode', () => {
    const r = diffDocs(docWith(), docWith(withMode('NONE')), { mode: 'NONE' });
    assert.ok(r.compatible);
    assert.equal(r.changes[0]!.severity, 'warning');
    assert.equal(r.requiredBump, 'minor');
  });

  it('strengthening FULL → FULL_TRANSITIVE is a patch', () => {
    const r = diffDocs(docWith(withMode('FULL')), docWith(withMode('FULL_TRANSITIVE')));
    assert.deepEqual(summary(r), ['COMPATIBILITY_MODE_CHANGED customProperties[meshkit.compatibility]']);
    assert.ok(r.compatible);
    assert.equal(r.changes[0]!.severity, 'info');
    assert.equal(r.requiredBump, 'patch');
  });

  it('an absent property equals an explicit FULL (no change)', () => {
    assert.deepEqual(summary(diffDocs(docWith(), docWith(withMode('FULL')))), []);
  });

  it('an invalid meshkit.compatibility in the new contract is a MeshError with its position', () => {
    assert.throws(
      () => diffDocs(docWith(), docWith(withMode('SOMETIMES'))),
      (e: unknown) => {
        assert.ok(e instanceof MeshError);
        assert.equal(e.code, 'INVALID_CONTRACT');
        assert.equal(e.file, 'new.odcs.yaml');
        assert.ok((e.line ?? 0) > 1);
        return true;
      },
    );
  });

  it('orders modes by the guarantees they give', () => {
    assert.ok(isModeAtLeast('FULL', 'BACKWARD'));
    assert.ok(isModeAtLeast('FULL_TRANSITIVE', 'FULL'));
    assert.ok(isModeAtLeast('BACKWARD', 'NONE'));
    assert.ok(!isModeAtLeast('FORWARD', 'BACKWARD'));
    assert.ok(!isModeAtLeast('FULL', 'BACKWARD_TRANSITIVE'));
    assert.ok(!isModeAtLeast('NONE', 'FORWARD'));
  });
});

describe('transitive modes', () => {
  // v1 has note; v2 drops it (FWD break vs v1); v3 (new) re-adds nothing and requires amount.
  const v1 = docWith((d) => {
    d.version = '1.0.0';
  });
  const v2 = docWith((d) => {
    d.version = '1.1.0';
    removeNote(d);
  });
  const v3 = docWith((d) => {
    removeNote(d);
    prop(d, 'amount').description = 'gross';
  });

  it('non-transitive modes compare with the last old only', () => {
    const r = diffContracts([load(v1, 'v1.yaml'), load(v2, 'v2.yaml')], load(v3), { mode: 'FULL' });
    assert.deepEqual(summary(r), ['METADATA_CHANGED schema[orders].properties[amount].description']);
    assert.ok(r.compatible);
    assert.equal(r.requiredBump, 'patch');
  });

  it('transitive modes add breaking changes found only against earlier versions', () => {
    const r = diffContracts([load(v1, 'v1.yaml'), load(v2, 'v2.yaml')], load(v3), { mode: 'FULL_TRANSITIVE' });
    assert.deepEqual(summary(r), [
      'METADATA_CHANGED schema[orders].properties[amount].description',
      'PROPERTY_REMOVED schema[orders].properties[note]',
    ]);
    const removed = r.changes.find((c) => c.rule === 'PROPERTY_REMOVED')!;
    assert.equal(removed.location.file, 'v1.yaml');
    assert.equal(removed.severity, 'error');
    assert.equal(r.compatible, false);
    assert.equal(r.requiredBump, 'major');
  });

  it('a change breaking only a direction the transitive mode does not check is not added from earlier versions', () => {
    const r = diffContracts([load(v1, 'v1.yaml'), load(v2, 'v2.yaml')], load(v3), { mode: 'BACKWARD_TRANSITIVE' });
    assert.deepEqual(summary(r), ['METADATA_CHANGED schema[orders].properties[amount].description']);
    assert.ok(r.compatible);
  });

  it('deduplicates by rule and path across versions', () => {
    const w1 = docWith();
    const w2 = docWith((d) => {
      d.version = '1.1.0';
    });
    const w3 = docWith(removeNote);
    const r = diffContracts([load(w1, 'v1.yaml'), load(w2, 'v2.yaml')], load(w3), { mode: 'FORWARD_TRANSITIVE' });
    assert.deepEqual(summary(r), ['PROPERTY_REMOVED schema[orders].properties[note]']);
    assert.equal(r.changes[0]!.location.file, 'v2.yaml');
  });

  it('keeps the breaking variant when the same rule and path is harmless against the latest', () => {
    // Against v2 (NONE) the new BACKWARD is a strengthening; against v1 (FULL) the same rule and path is a weakening.
    const m1 = docWith(withMode('FULL'));
    const m2 = docWith(withMode('NONE'));
    const m3 = docWith(withMode('BACKWARD'));
    const r = diffContracts([load(m1, 'v1.yaml'), load(m2, 'v2.yaml')], load(m3), { mode: 'FULL_TRANSITIVE' });
    assert.equal(r.changes.length, 1);
    assert.match(r.changes[0]!.message, /weakened from FULL/);
    assert.equal(r.changes[0]!.severity, 'error');
  });

  it('needs at least one old contract', () => {
    assert.throws(() => diffContracts([], load(docWith())), MeshError);
  });
});

describe('requiredBump', () => {
  const at =
    (version: string) =>
    (d: Doc): void => {
      d.version = version;
    };
  it('none for equivalent contracts', () => {
    assert.equal(diffDocs(docWith(), docWith()).requiredBump, 'none');
  });
  it('patch for metadata, status and classification changes', () => {
    assert.equal(
      diffDocs(
        docWith(),
        docWith((d) => {
          d.domain = 'commerce';
        }),
      ).requiredBump,
      'patch',
    );
    assert.equal(
      diffDocs(
        docWith(),
        docWith((d) => {
          d.status = 'deprecated';
        }),
      ).requiredBump,
      'patch',
    );
    assert.equal(
      diffDocs(
        docWith(),
        docWith((d) => {
          prop(d, 'note').classification = 'public';
        }),
      ).requiredBump,
      'patch',
    );
  });
  it('minor for additions of data or guarantees', () => {
    assert.equal(
      diffDocs(
        docWith(),
        docWith((d) => {
          d.schema[0].properties.push({ name: 'x', logicalType: 'string' });
        }),
      ).requiredBump,
      'minor',
    );
    assert.equal(
      diffDocs(
        docWith(),
        docWith((d) => {
          d.schema.push({ name: 'y' });
        }),
      ).requiredBump,
      'minor',
    );
    assert.equal(
      diffDocs(
        docWith(),
        docWith((d) => {
          d.slaProperties[0].value = 1;
        }),
      ).requiredBump,
      'minor',
    );
    assert.equal(
      diffDocs(
        docWith(),
        docWith((d) => {
          d.schema[0].quality[0].mustBeGreaterThan = 5;
        }),
      ).requiredBump,
      'minor',
    );
  });
  it('major for a breaking change; minor for the same change under NONE', () => {
    assert.equal(diffDocs(docWith(), docWith(removeNote)).requiredBump, 'major');
    assert.equal(diffDocs(docWith(), docWith(removeNote), { mode: 'NONE' }).requiredBump, 'minor');
  });
  it('moves down one place below 1.0.0 (the baseline version)', () => {
    assert.equal(
      diffDocs(
        docWith(at('0.3.1')),
        docWith((d) => {
          at('0.3.1')(d);
          removeNote(d);
        }),
      ).requiredBump,
      'minor',
    );
    assert.equal(
      diffDocs(
        docWith(at('0.3.1')),
        docWith((d) => {
          at('0.3.1')(d);
          d.schema.push({ name: 'y' });
        }),
      ).requiredBump,
      'patch',
    );
    assert.equal(
      diffDocs(
        docWith(at('0.3.1')),
        docWith((d) => {
          at('0.3.1')(d);
          d.domain = 'x';
        }),
      ).requiredBump,
      'patch',
    );
    assert.equal(diffDocs(docWith(at('0.3.1')), docWith(at('0.3.1'))).requiredBump, 'none');
    assert.equal(diffDocs(docWith(at('0.9.0-rc.1')), docWith(removeNote)).requiredBump, 'minor');
    assert.equal(diffDocs(docWith(at('1.0.0-rc.1')), docWith(removeNote)).requiredBump, 'major');
  });
  it('the version field itself is not part of the diff', () => {
    assert.deepEqual(summary(diffDocs(docWith(), docWith(at('7.0.0')))), []);
  });
});

describe('severity', () => {
  it('warns for a status moving to deprecated or retired, informs otherwise', () => {
    assert.equal(
      diffDocs(
        docWith(),
        docWith((d) => {
          d.status = 'retired';
        }),
      ).changes[0]!.severity,
      'warning',
    );
    assert.equal(
      diffDocs(
        docWith((d) => {
          d.status = 'draft';
        }),
        docWith(),
      ).changes[0]!.severity,
      'info',
    );
  });
  it('warns for classification changes', () => {
    const r = diffDocs(
      docWith(),
      docWith((d) => {
        prop(d, 'customer_email').classification = 'public';
      }),
    );
    assert.equal(r.changes[0]!.severity, 'warning');
    assert.ok(r.compatible);
  });
  it('informs for non-breaking additions', () => {
    assert.equal(
      diffDocs(
        docWith(),
        docWith((d) => {
          d.schema.push({ name: 'y' });
        }),
      ).changes[0]!.severity,
      'info',
    );
  });
});

describe('toDiffJson', () => {
  it('has exactly the spec shape and key order', () => {
    const old = docWith();
    const json = toDiffJson(diffDocs(old, docWith(removeNote)));
    assert.deepEqual(Object.keys(json), ['compatible', 'mode', 'requiredBump', 'changes']);
    const [c] = json.changes;
    assert.deepEqual(Object.keys(c!), ['rule', 'severity', 'breaks', 'path', 'message', 'location']);
    assert.deepEqual(Object.keys(c!.breaks), ['backward', 'forward']);
    assert.deepEqual(Object.keys(c!.location), ['file', 'line', 'column']);
    assert.deepEqual(JSON.parse(JSON.stringify(json)), {
      compatible: false,
      mode: 'FULL',
      requiredBump: 'major',
      changes: [
        {
          rule: 'PROPERTY_REMOVED',
          severity: 'error',
          breaks: { backward: false, forward: true },
          path: 'schema[orders].properties[note]',
          message: "property 'note' removed from 'orders'",
          location: c!.location,
        },
      ],
    });
    assert.equal(c!.location.file, 'old.odcs.yaml');
  });
});
