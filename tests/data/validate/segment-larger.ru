# Broken on purpose: smartphone revenue 3918亿 (written 3918 in its sentence too), larger
# than the 3332亿 of Smartphone × AIoT, the segment it is a unit of.
# Expected: a parts-whole check, inconsistent, naming Smartphones.
PREFIX xmg:    <https://w3id.org/xmgraph/ont#>
PREFIX metric: <https://w3id.org/xmgraph/metric/>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>
DELETE { ?obs xmg:value ?v . ?span xmg:text ?t }
INSERT { ?obs xmg:value "391800000000"^^xsd:decimal . ?span xmg:text ?t2 }
WHERE {
  ?obs xmg:entity <https://w3id.org/xmgraph/id/org/xiaomi/smartphones> ;
       xmg:metric metric:Revenue ; xmg:period/xmg:periodCode "2024" ; xmg:value ?v ;
       xmg:source ?span .
  ?span xmg:text ?t .
  BIND (REPLACE(?t, "1918", "3918") AS ?t2)
}
