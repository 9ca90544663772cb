# Broken on purpose: the 2024 R&D expense of Xiaomi Group loses its value (xmg:value).
# Expected: shape:Observation (xmg:value) and IC-14 (all measures present) report it,
# naming the fact and the sentence "小米2024年的研發投入為241億元 ...".
PREFIX xmg:    <https://w3id.org/xmgraph/ont#>
PREFIX metric: <https://w3id.org/xmgraph/metric/>
DELETE { ?obs xmg:value ?v }
WHERE {
  ?obs xmg:metric metric:RDExpense ; xmg:period/xmg:periodCode "2024" ; xmg:value ?v .
}
