'use client';
/**
 * The sequence diagram of the flow inspector: a static SVG, four lanes, one arrow per step. The
 * step under the pointer or keyboard focus (any element with data-step) is highlighted.
 */
import { useEffect, useState } from 'react';

const LANES = [
  { name: 'Browser', x: 70 },
  { name: 'App (BFF)', x: 250 },
  { name: 'Identity provider', x: 450 },
  { name: 'API (/api)', x: 630 },
] as const;

/** from, to: lane indexes (the same lane: a check inside the app). */
const ARROWS: Array<{ step: number; from: number; to: number; label: string; dashed?: boolean }> = [
  { step: 1, from: 1, to: 2, label: 'discovery, JWKS' },
  { step: 2, from: 0, to: 2, label: 'authorization request: challenge, state, nonce' },
  { step: 3, from: 2, to: 1, label: 'callback via the browser: code, state, iss', dashed: true },
  { step: 4, from: 1, to: 2, label: 'token request: code + verifier, client auth' },
  { step: 5, from: 2, to: 1, label: 'token response: ID, access, refresh tokens' },
  { step: 6, from: 1, to: 1, label: 'ID token checks' },
  { step: 7, from: 1, to: 0, label: 'sealed session cookie (no token)' },
  { step: 8, from: 1, to: 3, label: 'Bearer access token; refresh at the provider' },
];

const TOP = 40;
const ROW = 38;

export function FlowDiagram() {
  const [current, setCurrent] = useState(1);
  useEffect(() => {
    const pick = (event: Event) => {
      const step = (event.target as Element | null)
        ?.closest?.('[data-step]')
        ?.getAttribute('data-step');
      if (step) setCurrent(Number(step));
    };
    document.addEventListener('mouseover', pick);
    document.addEventListener('focusin', pick);
    document.addEventListener('click', pick);
    return () => {
      document.removeEventListener('mouseover', pick);
      document.removeEventListener('focusin', pick);
      document.removeEventListener('click', pick);
    };
  }, []);

  const height = TOP + ARROWS.length * ROW + 10;
  return (
    <svg
      viewBox={`0 0 700 ${height}`}
      className="w-full max-w-3xl"
      role="img"
      aria-label="Sequence diagram of the sign-in"
      data-testid="flow-diagram"
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" fill="currentColor" />
        </marker>
      </defs>
      {LANES.map((lane) => (
        <g key={lane.name}>
          <text
            x={lane.x}
            y={18}
            textAnchor="middle"
            className="fill-slate-700 text-[12px] font-semibold"
          >
            {lane.name}
          </text>
          <line
            x1={lane.x}
            y1={26}
            x2={lane.x}
            y2={height}
            className="stroke-slate-300"
            strokeDasharray="4 4"
          />
        </g>
      ))}
      {ARROWS.map((a, i) => {
        const y = TOP + i * ROW + 16;
        const on = a.step === current;
        const x1 = LANES[a.from]!.x;
        const x2 = LANES[a.to]!.x;
        const colour = on ? 'text-indigo-600' : 'text-slate-400';
        return (
          <g key={a.step} className={colour} data-arrow={a.step} data-current={on || undefined}>
            {a.from === a.to ? (
              <path
                d={`M${x1},${y - 8} h40 v16 h-38`}
                fill="none"
                stroke="currentColor"
                strokeWidth={on ? 2.5 : 1.5}
                markerEnd="url(#arrow)"
              />
            ) : (
              <line
                x1={x1}
                y1={y}
                x2={x2 + (x2 > x1 ? -4 : 4)}
                y2={y}
                stroke="currentColor"
                strokeWidth={on ? 2.5 : 1.5}
                strokeDasharray={a.dashed ? '6 4' : undefined}
                markerEnd="url(#arrow)"
              />
            )}
            <text
              x={a.from === a.to ? x1 + 48 : (x1 + x2) / 2}
              y={y - 5}
              textAnchor={a.from === a.to ? 'start' : 'middle'}
              className={`text-[10px] ${on ? 'fill-indigo-700 font-semibold' : 'fill-slate-500'}`}
            >
              {a.step}. {a.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
