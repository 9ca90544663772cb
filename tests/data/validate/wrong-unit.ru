# Broken on purpose: smartphone shipments (a count) in yuan (unit:CNY) instead of units.
# Expected: shape:UnitFitsMetric reports it; no value is derived from the broken figure.
PREFIX xmg:    <https://w3id.org/xmgraph/ont#>
PREFIX metric: <https://w3id.org/xmgraph/metric/>
PREFIX unit:   <https://w3id.org/xmgraph/unit/>
DELETE { ?obs xmg:unit ?u }
INSERT { ?obs xmg:unit unit:CNY }
WHERE {
  ?obs xmg:metric metric:Shipments ; xmg:period/xmg:periodCode "2024" ; xmg:unit ?u .
}
