// The HTML report's script, written inline into every report (reports/html_page.cpp). It draws
// the charts (Chart.js, inlined before it) and the lock-ownership timelines (SVG) from the data
// block #ipch-data. Text from scenarios and agents only ever goes into textContent or Chart.js's
// canvas, never into markup, so it stays inert.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('ipch-data').textContent);
  const colors = ['#4a7fd0', '#e0802a', '#3a9a4a', '#c03a3a', '#8a5ac0', '#7a5a3a', '#d060a0',
                  '#606060', '#a0a020', '#20a0b0'];
  const color = (i) => colors[i % colors.length];

  // Marks a canvas with how many of its pixels the chart painted, so that a test (headless
  // Chromium's --dump-dom) can tell a drawn chart from an empty one.
  function countDrawn(canvas) {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
    canvas.dataset.drawnPixels = String(painted);
  }

  function chart(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas || typeof Chart === 'undefined') return;
    config.options = Object.assign({animation: false, responsive: true,
                                    maintainAspectRatio: false}, config.options);
    const made = new Chart(canvas, config);
    canvas.dataset.datasets = String(made.data.datasets.length);
    countDrawn(canvas);
  }

  chart('latency-chart', {
    type: 'line',
    data: {
      datasets: data.latency.map((series, i) => ({
        label: series.label,
        data: series.points.map((p) => ({x: p[0] === 100 ? 'max' : 'p' + p[0], y: p[1]})),
        borderColor: color(i), backgroundColor: color(i),
      })),
      labels: ['p50', 'p75', 'p90', 'p95', 'p99', 'p99.9', 'max'],
    },
    options: {scales: {y: {type: 'logarithmic', title: {display: true, text: 'lock wait (ns)'}}}},
  });

  chart('throughput-chart', {
    type: 'scatter',
    data: {
      datasets: data.throughput.map((series, i) => ({
        label: series.backend, showLine: true,
        data: series.points.map((p) => ({x: p[0], y: p[1]})),
        borderColor: color(i), backgroundColor: color(i),
      })),
    },
    options: {scales: {x: {title: {display: true, text: 'agents'}, ticks: {precision: 0}},
                       y: {title: {display: true, text: 'critical sections / s'},
                           beginAtZero: true}}},
  });

  const svgNs = 'http://www.w3.org/2000/svg';
  function svg(name, attributes, parent) {
    const element = document.createElementNS(svgNs, name);
    for (const key in attributes) element.setAttribute(key, attributes[key]);
    if (parent) parent.appendChild(element);
    return element;
  }

  // One lane per agent: its waits and holds each one <path> of rectangles (tens of thousands of
  // sections stay a few elements), a violation's sections and the instants each an element with
  // a <title> (hover for the evidence). The wheel zooms in time around the pointer, a drag pans,
  // a double click shows the whole run again.
  let timelineCount = 0;
  function drawTimeline(holder, timeline) {
    const width = 1000, labelWidth = 130, laneHeight = 16, gap = 6;
    const plot = width - labelWidth - 10;
    const end = Math.max(timeline.end, 1);
    const x = (t) => labelWidth + (t / end) * plot;
    const height = timeline.lanes.length * (laneHeight + gap) + gap;
    const root = svg('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img'}, holder);
    const clipId = 'timeline-clip-' + timelineCount++;
    const clip = svg('clipPath', {id: clipId}, svg('defs', {}, root));
    svg('rect', {x: labelWidth, y: 0, width: plot, height: height}, clip);
    const zoomed = [];
    const lanes = timeline.lanes.map((name, i) => {
      const y = gap + i * (laneHeight + gap);
      const lane = svg('g', {class: 'lane', 'data-lane': i}, root);
      const label = svg('text', {class: 'label', x: 4, y: y + laneHeight - 4}, lane);
      label.textContent = name;
      const spans = svg('g', {class: 'spans'}, svg('g', {'clip-path': `url(#${clipId})`}, lane));
      zoomed.push(spans);
      return {y: y, spans: spans, wait: [], hold: []};
    });
    const rect = (from, to, y) => {
      const w = Math.max(x(to) - x(from), 0.4).toFixed(2);
      return `M${x(from).toFixed(2)} ${y}h${w}v${laneHeight}h-${w}z`;
    };
    for (const [lane, requested, acquired, released, stamp, flags] of timeline.spans) {
      const at = lanes[lane];
      if (acquired > requested) at.wait.push(rect(requested, acquired, at.y + 4));
      if (flags & 1) {
        const r = svg('rect', {class: 'violation', x: x(acquired), y: at.y,
                               width: Math.max(x(released) - x(acquired), 2),
                               height: laneHeight}, at.spans);
        svg('title', {}, r).textContent = `stamp ${stamp}: in a violation's evidence`;
      } else {
        at.hold.push(rect(acquired, released, at.y));
      }
    }
    for (const at of lanes) {
      if (at.wait.length) svg('path', {class: 'wait', d: at.wait.join('')}, at.spans);
      if (at.hold.length) svg('path', {class: 'hold', d: at.hold.join('')}, at.spans);
    }
    for (const [lane, time, kind, stamp, what] of timeline.marks) {
      const at = lanes[lane];
      const line = svg('line', {class: 'mark-' + kind, x1: x(time), x2: x(time), y1: at.y - 2,
                                y2: at.y + laneHeight + 2,
                                'vector-effect': 'non-scaling-stroke'}, at.spans);
      svg('title', {}, line).textContent = (stamp ? `stamp ${stamp}: ` : '') + what;
    }
    holder.dataset.lanes = String(timeline.lanes.length);

    let scale = 1, shift = 0, dragFrom = null;
    const apply = () => {
      // The plot's edges stay outside the plot area: no blank beyond the run's start or end.
      shift = Math.min(-(scale - 1) * labelWidth,
                       Math.max(shift, -(scale - 1) * (labelWidth + plot)));
      const transform = `translate(${shift} 0) scale(${scale} 1)`;
      for (const g of zoomed) g.setAttribute('transform', transform);
    };
    const svgX = (event) => {
      const box = root.getBoundingClientRect();
      return (event.clientX - box.left) * (width / box.width);
    };
    root.addEventListener('wheel', (event) => {
      event.preventDefault();
      const at = svgX(event);
      const next = Math.min(Math.max(scale * (event.deltaY < 0 ? 1.25 : 0.8), 1), 1e6);
      shift = at - (at - shift) * (next / scale);
      scale = next;
      apply();
    }, {passive: false});
    root.addEventListener('mousedown', (event) => { dragFrom = svgX(event) - shift; });
    window.addEventListener('mouseup', () => { dragFrom = null; });
    root.addEventListener('mousemove', (event) => {
      if (dragFrom === null) return;
      shift = svgX(event) - dragFrom;
      apply();
    });
    root.addEventListener('dblclick', () => { scale = 1; shift = 0; apply(); });
  }

  for (const holder of document.querySelectorAll('.timeline[data-timeline]')) {
    const timeline = data.timelines[Number(holder.dataset.timeline)];
    if (timeline) drawTimeline(holder, timeline);
  }
  // How long the page took to load and draw, for bench/html_report.sh.
  document.body.dataset.renderMs = performance.now().toFixed(0);
})();
