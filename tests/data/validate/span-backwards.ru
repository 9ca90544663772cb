# Broken on purpose: the sentence of the gross profit ends where it starts (end = start).
# Expected: shape:SourceSpan ("a source sentence ends after it starts") reports it.
PREFIX xmg:    <https://w3id.org/xmgraph/ont#>
PREFIX metric: <https://w3id.org/xmgraph/metric/>
DELETE { ?span xmg:end ?end }
INSERT { ?span xmg:end ?start }
WHERE {
  ?obs xmg:metric metric:GrossProfit ; xmg:period/xmg:periodCode "2024" ; xmg:source ?span .
  ?span xmg:start ?start ; xmg:end ?end .
}
