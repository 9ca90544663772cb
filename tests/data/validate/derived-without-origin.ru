# Broken on purpose (on a graph with recorded checks): a derived observation no longer
# says what it was derived from. Expected: shape:DerivedObservation reports it.
PREFIX xmg:  <https://w3id.org/xmgraph/ont#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX metric: <https://w3id.org/xmgraph/metric/>
DELETE { ?obs prov:wasDerivedFrom ?from }
WHERE {
  ?obs xmg:qualifier xmg:Derived ; xmg:metric metric:AdjustedNetProfit ;
       prov:wasDerivedFrom ?from .
}
